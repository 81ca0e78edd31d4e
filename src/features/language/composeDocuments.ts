import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Catalogue } from '../../core/catalogue/catalogue';
import type { AsyncEnvReader, EnvDiscovery } from '../../core/compose/envDiscovery';
import type { ImageCatalogueLookup } from '../../core/catalogue/producerRelease';
import type { ComposeModel, Variables } from '../../core/compose/model';
import type { Diagnostic } from '../../core/lint/diagnostic';
import type { IncrementalLinter } from '../../core/lint/incremental';
import type { LintOptions, LintResult } from '../../core/lint/ruleContext';
import { LintCancelledError, WorkerLinter } from '../../core/lint/worker/workerLinter';
import type { ValuesModel } from '../../core/values/model';
import { VALUES_GLOB, valuesEnvironment } from '../../core/values/valuesPath';
import type { CatalogueSource } from './catalogueSource';
import type { EnvFiles } from './envFiles';

/**
 * Documents longer than this are linted in a worker thread. A whole lint of 128 KiB (about 280
 * producers, 14 times the real file) takes some 30 ms; the worker costs a thread start and a
 * copy of the model, worth it only above that.
 */
export const WORKER_THRESHOLD_CHARS = 128 * 1024;

/** The checker (src/core/lint with the yaml parser); loaded on first analysis, not at activation. */
export type LintModule = typeof import('../../core/lint/lint');

/** Sibling compose files above this size are not read (the checker's own input limit, 2 MiB). */
const SIBLING_MAX_BYTES = 2 * 1024 * 1024;
/** Directories beside the document's read for OpenSplice daemons (as SITE_DIRS_MAX in core/lint/siblings.ts). */
const SITE_DIRS_MAX = 16;

export interface Analysis {
  version: number;
  model: ComposeModel;
  diagnostics: Diagnostic[];
  catalogue: Catalogue;
  /** The env files the variables came from (shown on hover of a `${VAR}`). */
  env?: EnvDiscovery;
  /** Catalogues read from the images on the connected host, when there are any. */
  imageCatalogue?: ImageCatalogueLookup;
  /** Set for an Argo CD kafka-producers values file; `model` is then its compose-shaped view. */
  values?: ValuesModel;
}

/**
 * Which documents are kafka_writers compose files, and their analysis (model + lint),
 * computed once per document version and shared by every language feature.
 */
export class ComposeDocuments implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<Analysis>>();
  private linter: LintModule | undefined;
  /**
   * Per open document: linters that re-parse only the services an edit touched. Two, because
   * the first pass (without the services' env files) and the second use different options.
   */
  private readonly incremental = new Map<string, { first: IncrementalLinter; second: IncrementalLinter }>();
  /** Per directory: the compose files in it as read from disk (open documents are read live). */
  private readonly siblingFiles = new Map<string, Promise<{ uri: vscode.Uri; text: string }[]>>();

  private workers: WorkerLinter | undefined;
  private readonly generations = new Map<string, number>();

  private imageCatalogue: ImageCatalogueLookup | undefined;
  private readonly imageCataloguesChanged = new vscode.EventEmitter<void>();
  /** The remote half read another image's catalogue: diagnostics must be recomputed. */
  readonly onDidChangeImageCatalogues = this.imageCataloguesChanged.event;

  constructor(
    private readonly catalogues: CatalogueSource,
    private readonly envFiles: EnvFiles,
    private readonly loadLinter: () => LintModule,
    /** dist/lintWorker.js; without it every document is linted on this thread. */
    private readonly workerScript?: string,
  ) {}

  /** kafka_writers compose files (the setting's glob) and argocd-csc kafka-producers values files. */
  selector(): vscode.DocumentSelector {
    return [{ pattern: this.glob() }, { pattern: VALUES_GLOB }];
  }

  glob(): string {
    return vscode.workspace.getConfiguration('efdSalkafka').get<string>('composeGlob', '**/kafka_writers/*.y*ml');
  }

  isCompose(doc: vscode.TextDocument): boolean {
    return vscode.languages.match(this.selector(), doc) > 0;
  }

  analyze(doc: vscode.TextDocument): Promise<Analysis> {
    const key = doc.uri.toString();
    const version = doc.version;
    const cached = this.cache.get(key);
    if (cached) {
      const hit = cached.then((a) => (a.version === version ? a : undefined));
      return hit.then((a) => a ?? this.compute(doc, key));
    }
    return this.compute(doc, key);
  }

  /**
   * Catalogues read from the images on the connected host (the remote half calls this; a new
   * function each time one more image was read, undefined when disconnected).
   */
  setImageCatalogue(lookup: ImageCatalogueLookup | undefined): void {
    this.imageCatalogue = lookup;
    this.invalidate();
    this.imageCataloguesChanged.fire();
  }

  /** Drops cached analyses (settings, catalogue or env files changed). */
  invalidate(uri?: vscode.Uri): void {
    this.siblingFiles.clear();
    if (uri) {
      this.cache.delete(uri.toString());
      this.incremental.delete(uri.toString());
      this.workers?.cancel(uri.toString());
    } else {
      this.cache.clear();
      this.incremental.clear();
    }
  }

  private compute(doc: vscode.TextDocument, key: string): Promise<Analysis> {
    const text = doc.getText();
    const version = doc.version;
    // Only the newest computation of a document may start a worker job: an older one resuming
    // after an await would otherwise cancel the newer one's job and leave stale diagnostics.
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    const result = (async () => {
      this.linter ??= this.loadLinter();
      if (this.linter.detectFileKind(doc.uri.path, text) === 'helmValues') {
        const [catalogue, base] = await Promise.all([this.catalogues.get(), this.baseValues(doc.uri)]);
        const { values, diagnostics } = this.linter.lintValues({ text, base }, { catalogue });
        return { version, model: values.model, diagnostics, catalogue, values };
      }
      const [catalogue, env] = await Promise.all([this.catalogues.get(), this.discoverEnv(doc.uri, text)]);
      const { variables } = env;
      if (this.generations.get(key) !== generation) throw new LintCancelledError();
      const newest = this.lintFor(key, text);
      const lint: typeof newest = (...args) => {
        if (this.generations.get(key) !== generation) return Promise.reject(new LintCancelledError());
        return newest(...args);
      };
      const imageCatalogue = this.imageCatalogue;
      const firstPass = await lint(text, { catalogue, variables, imageCatalogue });
      const { serviceEnvFiles, envFileErrors } = await this.serviceEnvFiles(doc.uri, firstPass.model);
      const { model, diagnostics: own } = Object.keys(serviceEnvFiles).length
        ? await lint(text, { catalogue, variables, serviceEnvFiles, imageCatalogue, ...(Object.keys(envFileErrors).length ? { envFileErrors } : {}) }, 'second')
        : firstPass;
      // The directory's other compose files are the same compose project: check against them.
      // The site's other directories (support/) too: a daemon of a DDS domain lives there.
      const siblings = await this.siblings(doc.uri);
      const fromSiblings = this.linter.diagnosticsFromSiblings({ path: doc.uri.path, model }, siblings, variables);
      const diagnostics = fromSiblings.length ? [...own, ...fromSiblings].sort((a, b) => a.range.start - b.range.start) : own;
      return { version, model, diagnostics, catalogue, env, imageCatalogue };
    })();
    this.cache.set(key, result);
    // A cancelled analysis (a newer edit replaced it) must not stay cached as a failure.
    result.catch(() => {
      if (this.cache.get(key) === result) this.cache.delete(key);
    });
    return result;
  }

  /**
   * Small documents (every real kafka_writers file) are linted on this thread by linters that
   * re-parse only the services an edit touched; above WORKER_THRESHOLD_CHARS the whole lint
   * runs in a worker thread, so the extension host never waits on it and a newer edit cancels it.
   */
  private lintFor(key: string, text: string): (text: string, options: LintOptions, pass?: 'second') => Promise<LintResult> {
    const linter = this.linter!;
    if (text.length > WORKER_THRESHOLD_CHARS && this.workerScript) {
      this.incremental.delete(key);
      this.workers ??= new WorkerLinter({ script: this.workerScript, parse: linter.parseYamlDocument, defaultCatalogue: linter.defaultCatalogue });
      const workers = this.workers;
      return (t, options) => workers.lint(key, t, options);
    }
    this.workers?.cancel(key);
    let linters = this.incremental.get(key);
    if (!linters) this.incremental.set(key, (linters = { first: linter.createIncrementalLinter(), second: linter.createIncrementalLinter() }));
    // Same results as lintCompose (property-tested), but an edit in one service re-parses only it.
    const l = linters;
    return async (t, options, pass) => (pass === 'second' ? l.second : l.first).lint(t, options);
  }

  /** The chart's values.yaml beside a values-<env>.yaml: Helm merges the latter over it. */
  private async baseValues(uri: vscode.Uri): Promise<{ text: string; path: string } | undefined> {
    if (valuesEnvironment(uri.path) === undefined) return undefined;
    for (const name of ['values.yaml', 'values.yml']) {
      const sibling = vscode.Uri.joinPath(uri, '..', name);
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === sibling.toString());
      if (open) return { text: open.getText(), path: name };
      try {
        return { text: new TextDecoder().decode(await vscode.workspace.fs.readFile(sibling)).replace(/^\uFEFF/, ''), path: name };
      } catch {
        // not there
      }
    }
    return undefined;
  }

  dispose(): void {
    this.workers?.dispose();
  }

  /**
   * The env files operators use with the file (core/compose/envDiscovery.ts): `.env`, those
   * its header names and efdSalkafka.envFiles, in its directory or a parent; over any file
   * system (local, or the remote salkafka: one over SFTP).
   */
  private discoverEnv(uri: vscode.Uri, text: string): Promise<EnvDiscovery> {
    const settingNames = vscode.workspace.getConfiguration('efdSalkafka').get<string[]>('envFiles', ['setup.env']);
    return this.linter!.discoverEnv(uri.path, text, this.reader(uri), { settingNames });
  }

  private async serviceEnvFiles(uri: vscode.Uri, model: ComposeModel): Promise<{ serviceEnvFiles: Record<string, Variables | undefined>; envFileErrors: Record<string, string> }> {
    const dir = vscode.Uri.joinPath(uri, '..');
    const paths = [...new Set([...model.services, ...model.shadowedServices].flatMap((s) => s.envFiles.map((f) => f.value)))];
    const entries = await Promise.all(paths.map(async (p) => [p, await this.envFiles.readChecked(p.startsWith('/') ? uri.with({ path: p }) : vscode.Uri.joinPath(dir, p))] as const));
    const serviceEnvFiles: Record<string, Variables | undefined> = {};
    const envFileErrors: Record<string, string> = {};
    for (const [p, r] of entries) {
      serviceEnvFiles[p] = r.vars;
      if (r.error) envFileErrors[p] = r.error;
    }
    return { serviceEnvFiles, envFileErrors };
  }

  /** The other compose files of the document's directory, with the text of open ones as edited. */
  private async siblings(uri: vscode.Uri): Promise<{ path: string; text: string }[]> {
    const dir = vscode.Uri.joinPath(uri, '..');
    let files = this.siblingFiles.get(dir.toString());
    if (!files) {
      const pattern = this.linter!.COMPOSE_FILE_NAME;
      const composeIn = (d: vscode.Uri) =>
        Promise.resolve(vscode.workspace.fs.readDirectory(d)).then(
          (entries) => entries.filter(([name, type]) => type === vscode.FileType.File && pattern.test(name)).map(([name]) => vscode.Uri.joinPath(d, name)),
          () => [] as vscode.Uri[],
        );
      const site = vscode.Uri.joinPath(dir, '..');
      const siteDirs = site.path === dir.path
        ? Promise.resolve([] as vscode.Uri[])
        : Promise.resolve(vscode.workspace.fs.readDirectory(site)).then(
            (entries) => entries
              .filter(([name, type]) => type === vscode.FileType.Directory && !name.startsWith('.') && vscode.Uri.joinPath(site, name).path !== dir.path)
              .map(([name]) => name).sort().slice(0, SITE_DIRS_MAX).map((name) => vscode.Uri.joinPath(site, name)),
            () => [] as vscode.Uri[],
          );
      files = Promise.all([composeIn(dir), siteDirs.then((ds) => Promise.all(ds.map(composeIn)))]).then(
        async ([own, others]) => {
          const uris = [...own, ...others.flat()];
          const read = await Promise.all(uris.map(async (u) => {
            // A sibling is analysed like the document itself: bounded, so one too large is left out.
            const size = await Promise.resolve(vscode.workspace.fs.stat(u)).then((st) => st.size, () => Infinity);
            if (size > SIBLING_MAX_BYTES) return undefined;
            const text = await Promise.resolve(vscode.workspace.fs.readFile(u)).then((b) => new TextDecoder().decode(b), () => undefined);
            return text === undefined ? undefined : { uri: u, text };
          }));
          return read.filter((f): f is { uri: vscode.Uri; text: string } => f !== undefined);
        },
        () => [],
      );
      this.siblingFiles.set(dir.toString(), files);
    }
    const self = uri.toString();
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    return (await files).filter((f) => f.uri.toString() !== self).map((f) => ({ path: f.uri.path, text: open.get(f.uri.toString())?.getText() ?? f.text }));
  }

  /**
   * Paths on the document's own file system (same scheme and authority). Local files also tell
   * who owns a directory, so the upward search follows the same rule as the change pipeline's
   * (the host's reader: remoteEnvReader); other file systems cannot say, and are only read.
   */
  private reader(uri: vscode.Uri): AsyncEnvReader {
    const reader: AsyncEnvReader = {
      readText: (path) => this.envFiles.readText(uri.with({ path })),
      exists: (path) => this.envFiles.exists(uri.with({ path })),
    };
    if (uri.scheme === 'file' && typeof process.getuid === 'function') {
      reader.statDir = (path) => stat(uri.with({ path }).fsPath).then((st) => (st.isDirectory() ? { uid: st.uid, mode: st.mode } : undefined), () => undefined);
      reader.ownUid = process.getuid();
    }
    return reader;
  }
}
