import * as vscode from 'vscode';
import type { Catalogue } from '../../core/catalogue/catalogue';
import type { ComposeModel, Variables } from '../../core/compose/model';
import type { Diagnostic } from '../../core/lint/diagnostic';
import type { IncrementalLinter } from '../../core/lint/incremental';
import type { ValuesModel } from '../../core/values/model';
import { VALUES_GLOB, valuesEnvironment } from '../../core/values/valuesPath';
import type { CatalogueSource } from './catalogueSource';
import type { EnvFiles } from './envFiles';

/** The checker (src/core/lint with the yaml parser); loaded on first analysis, not at activation. */
export type LintModule = typeof import('../../core/lint/lint');

export interface Analysis {
  version: number;
  model: ComposeModel;
  diagnostics: Diagnostic[];
  catalogue: Catalogue;
  /** Set for an Argo CD kafka-producers values file; `model` is then its compose-shaped view. */
  values?: ValuesModel;
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

  constructor(
    private readonly catalogues: CatalogueSource,
    private readonly envFiles: EnvFiles,
    private readonly loadLinter: () => LintModule,
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

  /** Drops cached analyses (settings, catalogue or env files changed). */
  invalidate(uri?: vscode.Uri): void {
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
      const [catalogue, variables] = await Promise.all([this.catalogues.get(), this.variables(doc.uri)]);
      this.linter ??= this.loadLinter();
      if (this.linter.detectFileKind(doc.uri.path, text) === 'helmValues') {
        const base = await this.baseValues(doc.uri);
        const { values, diagnostics } = this.linter.lintValues({ text, base }, { catalogue });
        return { version, model: values.model, diagnostics, catalogue, values };
      }
      const { createIncrementalLinter } = this.linter;
      let linters = this.incremental.get(key);
      if (!linters) this.incremental.set(key, (linters = { first: createIncrementalLinter(), second: createIncrementalLinter() }));
      // Same results as lintCompose (property-tested), but an edit in one service re-parses only it.
      const firstPass = linters.first.lint(text, { catalogue, variables });
      const serviceEnvFiles = await this.serviceEnvFiles(doc.uri, firstPass.model);
      const { model, diagnostics } = Object.keys(serviceEnvFiles).length
        ? linters.second.lint(text, { catalogue, variables, serviceEnvFiles })
        : firstPass;
      return { version, model, diagnostics, catalogue };
    })();
    this.cache.set(key, result);
    return result;
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

  /** `.env` beside the file, then the env files from settings (later ones win, as with --env-file). */
  private async variables(uri: vscode.Uri): Promise<Variables> {
    const dir = vscode.Uri.joinPath(uri, '..');
    const names = ['.env', ...vscode.workspace.getConfiguration('efdSalkafka').get<string[]>('envFiles', ['setup.env'])];
    const files = await Promise.all(names.map((n) => this.envFiles.read(vscode.Uri.joinPath(dir, n))));
    return Object.assign({}, ...files.filter(Boolean));
  }

  private async serviceEnvFiles(uri: vscode.Uri, model: ComposeModel): Promise<Record<string, Variables | undefined>> {
    const dir = vscode.Uri.joinPath(uri, '..');
    const paths = [...new Set(model.services.flatMap((s) => s.envFiles.map((f) => f.value)))];
    const entries = await Promise.all(paths.map(async (p) => [p, await this.envFiles.read(p.startsWith('/') ? uri.with({ path: p }) : vscode.Uri.joinPath(dir, p))] as const));
    return Object.fromEntries(entries);
  }
}
