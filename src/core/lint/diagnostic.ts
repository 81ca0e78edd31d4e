import type { Range } from '../compose/model';

export type Severity = 'error' | 'warning' | 'info';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix computed in core; adapters turn it into a CodeAction. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

export interface RelatedInfo {
  range: Range;
  message: string;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  range: Range;
  fixes?: Fix[];
  related?: RelatedInfo[];
}

/**
 * Every diagnostic code, its default severity and what it protects against.
 * Codes are stable: the CLI's JSON output and users' CI depend on them.
 */
export const DIAGNOSTIC_CODES = {
  'yaml-syntax': { severity: 'error', summary: 'The file is not valid YAML; docker-compose will refuse it.' },
  'yaml-warning': { severity: 'warning', summary: 'YAML construct that parses but is likely a mistake.' },
  'duplicate-key': { severity: 'error', summary: 'A key is written twice; one definition is silently dropped.' },
  'compose-type': { severity: 'error', summary: 'A compose key has a value of the wrong type.' },
  'compose-unknown-key': { severity: 'error', summary: 'A key the compose specification does not know.' },
  'csc-unknown': { severity: 'error', summary: 'CSC_LIST names a component that is not in the SAL catalogue.' },
  'csc-retired': { severity: 'warning', summary: 'CSC_LIST names a retired component (information when the image\'s ts_xml is unknown; an error when the image lacks it).' },
  'csc-not-in-image': { severity: 'error', summary: 'CSC_LIST names a component the ts_xml inside the producer\'s image lacks (too old or too new): the producer cannot start.' },
  'csc-era-conflict': { severity: 'error', summary: 'Producers on one image list names no single ts_xml release has (both sides of a rename).' },
  'image-xml-unknown': { severity: 'info', summary: 'The ts_xml inside a producer image cannot be told from its tag; names are checked against every release.' },
  'csc-index-not-indexed': { severity: 'error', summary: 'An index is given for a component that is not indexed.' },
  'csc-index-invalid': { severity: 'error', summary: 'The index is not one the component enumerates.' },
  'csc-duplicate': { severity: 'warning', summary: 'The same component appears twice in one CSC_LIST.' },
  'csc-in-multiple-producers': { severity: 'warning', summary: 'Two producers write the same component: the EFD gets its data twice.' },
  'csc-list-empty': { severity: 'error', summary: 'CSC_LIST is empty: the producer would write nothing.' },
  'csc-list-option': { severity: 'warning', summary: 'An option in CSC_LIST that run_salkafka_producer.py does not take, or lacks its value.' },
  'env-missing': { severity: 'error', summary: 'A variable run_salkafka_producer.py needs is missing from the producer environment.' },
  'env-duplicate': { severity: 'warning', summary: 'The same environment key is set twice; the last one wins.' },
  'broker-port-invalid': { severity: 'error', summary: 'BROKER_PORT must be a port number 1–65535.' },
  'broker-ip-invalid': { severity: 'error', summary: 'BROKER_IP must be a host name or IP address.' },
  'registry-url-invalid': { severity: 'error', summary: 'REGISTRY_ADDR must be a URL with a scheme (http:// or https://).' },
  'partitions-invalid': { severity: 'error', summary: 'PARTITIONS must be a positive integer.' },
  'replication-invalid': { severity: 'error', summary: 'REPLICATION must be a positive integer.' },
  'log-level-invalid': { severity: 'error', summary: 'LOG_LEVEL must be an integer Python logging level.' },
  'log-level-nonstandard': { severity: 'info', summary: 'LOG_LEVEL is an integer but not a standard level (10, 20, 30, 40, 50).' },
  'wait-ack-invalid': { severity: 'error', summary: 'WAIT_ACK must be 0, 1 or all.' },
  'container-name-mismatch': { severity: 'warning', summary: 'container_name differs from the service name.' },
  'container-name-conflict': { severity: 'error', summary: 'Two services share a container_name; one cannot start.' },
  'ipv4-address-conflict': { severity: 'error', summary: 'Two services share a static ipv4_address; one cannot start.' },
  'variable-unset': { severity: 'warning', summary: 'A ${VAR} with no value and no default; docker-compose substitutes an empty string.' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export function diagnostic(
  code: DiagnosticCode,
  range: Range,
  message: string,
  extra: Partial<Pick<Diagnostic, 'fixes' | 'related' | 'severity'>> = {},
): Diagnostic {
  return { code, severity: extra.severity ?? DIAGNOSTIC_CODES[code].severity, message, range, ...extra };
}
