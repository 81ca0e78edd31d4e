import * as vscode from 'vscode';
import type { Catalogue } from '../../core/catalogue/catalogue';
import type { AsyncEnvReader, EnvDiscovery } from '../../core/compose/envDiscovery';
import type { ComposeModel, Variables } from '../../core/compose/model';
import type { Diagnostic } from '../../core/lint/diagnostic';
import type { IncrementalLinter } from '../../core/lint/incremental';
import type { CatalogueSource } from './catalogueSource';
import type { EnvFiles } from './envFiles';

/** The checker (src/core/lint with the yaml parser); loaded on first analysis, not at activation. */
export type LintModule = typeof import('../../core/lint/lint');

export interface Analysis {
  version: number;
  model: ComposeModel;
  diagnostics: Diagnostic[];
  catalogue: Catalogue;
  /** The env files the variables came from (shown on hover of a `${VAR}`). */
  env: EnvDiscovery;
}

/**
 * Which documents are kafka_writers compose files, and their analysis (model + lint),
 * computed once per document version and shared by every language feature.
 */
export class ComposeDocuments {
  private readonly cache = new Map<string, Promise<Analysis>>();
  private linter: LintModule | undefined;
  /**
   * Per open document: linters that re-parse only the services an edit touched. Two, because
   * the first pass (without the services' env files) and the second use different options.
   */
  private readonly incremental = new Map<string, { first: IncrementalLinter; second: IncrementalLinter }>();
  /** Per directory: the compose files in it as read from disk (open documents are read live). */
  private readonly siblingFiles = new Map<string, Promise<{ uri: vscode.Uri; text: string }[]>>();

  constructor(
    private readonly catalogues: CatalogueSource,
    private readonly envFiles: EnvFiles,
    private readonly loadLinter: () => LintModule,
  ) {}

  selector(): vscode.DocumentSelector {
    return { pattern: this.glob() };
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

  /** Drops cached analyses (settings, catalogue or env files changed). */
  invalidate(uri?: vscode.Uri): void {
    this.siblingFiles.clear();
    if (uri) {
      this.cache.delete(uri.toString());
      this.incremental.delete(uri.toString());
    } else {
      this.cache.clear();
      this.incremental.clear();
    }
  }

  private compute(doc: vscode.TextDocument, key: string): Promise<Analysis> {
    const text = doc.getText();
    const version = doc.version;
    const result = (async () => {
      this.linter ??= this.loadLinter();
      const [catalogue, env] = await Promise.all([this.catalogues.get(), this.discoverEnv(doc.uri, text)]);
      const { variables } = env;
      const { createIncrementalLinter } = this.linter;
      let linters = this.incremental.get(key);
      if (!linters) this.incremental.set(key, (linters = { first: createIncrementalLinter(), second: createIncrementalLinter() }));
      // Same results as lintCompose (property-tested), but an edit in one service re-parses only it.
      const firstPass = linters.first.lint(text, { catalogue, variables });
      const serviceEnvFiles = await this.serviceEnvFiles(doc.uri, firstPass.model);
      const { model, diagnostics: own } = Object.keys(serviceEnvFiles).length
        ? linters.second.lint(text, { catalogue, variables, serviceEnvFiles })
        : firstPass;
      // The directory's other compose files are the same compose project: check against them.
      const siblings = await this.siblings(doc.uri);
      const fromSiblings = siblings.length ? this.linter.diagnosticsFromSiblings({ path: doc.uri.path, model }, siblings, variables) : [];
      const diagnostics = fromSiblings.length ? [...own, ...fromSiblings].sort((a, b) => a.range.start - b.range.start) : own;
      return { version, model, diagnostics, catalogue, env };
    })();
    this.cache.set(key, result);
    return result;
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

  private async serviceEnvFiles(uri: vscode.Uri, model: ComposeModel): Promise<Record<string, Variables | undefined>> {
    const paths = [...model.services, ...model.shadowedServices].flatMap((s) => s.envFiles.map((f) => f.value));
    return paths.length ? this.linter!.readServiceEnvFiles(uri.path, paths, this.reader(uri)) : {};
  }

  /** The other compose files of the document's directory, with the text of open ones as edited. */
  private async siblings(uri: vscode.Uri): Promise<{ path: string; text: string }[]> {
    const dir = vscode.Uri.joinPath(uri, '..');
    let files = this.siblingFiles.get(dir.toString());
    if (!files) {
      const pattern = this.linter!.COMPOSE_FILE_NAME;
      files = Promise.resolve(vscode.workspace.fs.readDirectory(dir)).then(
        async (entries) => {
          const names = entries.filter(([name, type]) => type === vscode.FileType.File && pattern.test(name)).map(([name]) => name);
          const read = await Promise.all(names.map(async (name) => {
            const u = vscode.Uri.joinPath(dir, name);
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

  /** Paths on the document's own file system (same scheme and authority). */
  private reader(uri: vscode.Uri): AsyncEnvReader {
    return {
      readText: (path) => this.envFiles.readText(uri.with({ path })),
      exists: (path) => this.envFiles.exists(uri.with({ path })),
    };
  }
}
