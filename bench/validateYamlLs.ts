// Drives Red Hat's yaml-language-server in-process (its exported language service, the same
// code the YAML extension runs) with our JSON schema, for a side-by-side timing.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, LanguageService } from 'yaml-language-server';

export interface YamlLsDiagnostic {
  message: string;
  startLine: number;
  endLine: number;
  startCharacter: number;
}

export const SCHEMA_URI = 'file:///schemas/kafka-writers.schema.json';
export const DOCUMENT_URI = 'file:///deploy-lsst/docker-compose-ops/kafka_writers/docker-compose.yaml';

export class YamlLsValidator {
  private readonly service: LanguageService;
  private version = 0;

  constructor(schemaText: string) {
    this.service = getLanguageService({
      // Only our schema is served: nothing is fetched from the network.
      schemaRequestService: (uri: string) =>
        uri === SCHEMA_URI ? Promise.resolve(schemaText) : Promise.reject(new Error(`bench: no schema ${uri}`)),
      workspaceContext: { resolveRelativePath: (relative: string, resource: string) => new URL(relative, resource).toString() },
    });
    this.service.configure({
      validate: true,
      hover: false,
      completion: false,
      format: false,
      isKubernetes: false,
      schemas: [{ uri: SCHEMA_URI, fileMatch: ['**/kafka_writers/*.yaml', '*.yaml'] }],
    });
  }

  /** A new document version each call, so its parse cache cannot skip the work. */
  async validate(text: string, uri = DOCUMENT_URI): Promise<YamlLsDiagnostic[]> {
    const doc = TextDocument.create(uri, 'yaml', ++this.version, text);
    const diagnostics = await this.service.doValidation(doc, false);
    return diagnostics.map((d) => ({
      message: d.message,
      startLine: d.range.start.line,
      endLine: d.range.end.line,
      startCharacter: d.range.start.character,
    }));
  }
}
