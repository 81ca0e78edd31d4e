import { readFileSync } from 'fs';
import { join } from 'path';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import type { Diagnostic } from '../../../src/core/lint/diagnostic';
import { lintCompose, LintOptions } from '../../../src/core/lint/lint';

export const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'compose');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export interface Linted {
  text: string;
  diagnostics: Diagnostic[];
  /** The source text each diagnostic points at. */
  spans: { code: string; text: string; severity: string; message: string }[];
  codes: string[];
}

export function lint(text: string, options: Partial<LintOptions> = {}): Linted {
  const { diagnostics } = lintCompose(text, { catalogue: defaultCatalogue(), variables: { CYCLE: 'c0035' }, ...options });
  const spans = diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, text: text.slice(d.range.start, d.range.end) }));
  return { text, diagnostics, spans, codes: diagnostics.map((d) => d.code) };
}

/** A complete, valid producer service in the list style the summit file uses. */
export function producer(name: string, cscList: string, opts: { env?: Record<string, string>; container?: string; extra?: string } = {}): string {
  const env: Record<string, string> = {
    LSST_DDS_PARTITION_PREFIX: 'summit',
    LSST_DDS_DOMAIN_ID: '12',
    BROKER_IP: '10.0.0.5',
    BROKER_PORT: '9094',
    REGISTRY_ADDR: 'http://registry:8081',
    PARTITIONS: '1',
    REPLICATION: '3',
    LOG_LEVEL: '20',
    WAIT_ACK: '1',
    CSC_LIST: cscList,
    ...opts.env,
  };
  const lines = Object.entries(env)
    .filter(([, v]) => v !== '<omit>')
    .map(([k, v]) => `      - ${k}=${v}`);
  return [
    `  ${name}:`,
    `    image: ts-dockerhub.lsst.org/salkafka:\${CYCLE}`,
    `    container_name: ${opts.container ?? name}`,
    `    environment:`,
    ...lines,
    ...(opts.extra ? [opts.extra] : []),
  ].join('\n');
}

export function composeFile(...services: string[]): string {
  return `services:\n${services.join('\n')}\n`;
}

export function only(l: Linted, code: string) {
  return l.spans.filter((s) => s.code === code);
}
