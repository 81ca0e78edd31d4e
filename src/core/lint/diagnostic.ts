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
  'compose-unknown-key': { severity: 'error', summary: 'A key docker-compose does not know; it refuses the file.' },
  'compose-undeclared-volume': { severity: 'error', summary: 'A mount source without ./, / or ~ is a named volume, and none is declared; docker-compose refuses the file.' },
  'compose-undefined-service': { severity: 'error', summary: 'depends_on, links, extends or network_mode names a service the file does not define (or itself, or a circle).' },
  'compose-undefined-network': { severity: 'error', summary: 'A service joins a network not declared under the top-level networks: key.' },
  'compose-service-name': { severity: 'error', summary: 'A service name docker-compose refuses (characters, a number, upper case without image).' },
  'compose-no-image': { severity: 'error', summary: 'A service with neither image nor build; docker-compose refuses the file.' },
  'compose-interpolation': { severity: 'error', summary: 'A "$" docker-compose cannot interpolate (write $$ for a literal dollar sign).' },
  'compose-invalid-value': { severity: 'error', summary: 'A value docker-compose refuses: version, a port, expose, restart, subnet, an env name with spaces, a malformed or doubled mount, network_mode with networks, an external network/volume with attributes.' },
  'csc-unknown': { severity: 'error', summary: 'CSC_LIST names a component that is not in the SAL catalogue.' },
  'csc-retired': { severity: 'warning', summary: 'CSC_LIST names a retired component (information when the image\'s ts_xml is unknown; an error when the image lacks it).' },
  'csc-not-in-image': { severity: 'error', summary: 'CSC_LIST names a component the ts_xml inside the producer\'s image lacks (too old or too new): the producer cannot start.' },
  'csc-era-conflict': { severity: 'error', summary: 'Producers on one image list names no single ts_xml release has (both sides of a rename).' },
  'image-xml-unknown': { severity: 'info', summary: 'The ts_xml inside a producer image cannot be told from its tag; names are checked against every release.' },
  'csc-index-not-indexed': { severity: 'error', summary: 'An index is given for a component that is not indexed.' },
  'csc-index-invalid': { severity: 'error', summary: 'The index is not one the component enumerates.' },
  'csc-duplicate': { severity: 'error', summary: 'The same component appears twice in one CSC_LIST; the producer stops (duplicate components).' },
  'csc-in-multiple-producers': { severity: 'warning', summary: 'Two producers write the same component: the EFD gets its data twice.' },
  'csc-list-empty': { severity: 'error', summary: 'CSC_LIST is empty: the producer would write nothing.' },
  'csc-list-option': { severity: 'error', summary: 'An option in CSC_LIST that stops run_salkafka_producer.py (unknown, no value, --file with components, --username without --password, …); a password written in clear is a warning.' },
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
  'container-name-mismatch': { severity: 'warning', summary: 'container_name names another producer than its service (a decorating scheme such as salkafka_producer_01 for salkafka_01 is fine).' },
  'service-in-sibling-file': { severity: 'warning', summary: 'The same service is defined in another compose file of the directory (one compose project): up with either file recreates the other\'s container.' },
  'container-name-conflict': { severity: 'error', summary: 'Two services share a container_name; one cannot start.' },
  'ipv4-address-conflict': { severity: 'error', summary: 'Two services share a static ipv4_address; one cannot start.' },
  'variable-unset': { severity: 'warning', summary: 'A ${VAR} with no value and no default; docker-compose substitutes an empty string.' },
  'env-file-unreadable': { severity: 'warning', summary: 'An env_file that is not a regular file or is too large was not read (a device or FIFO would hang docker-compose too).' },
  'dds-daemon-missing': { severity: 'error', summary: 'A producer on a DDS domain other than 0 attaches to shared memory on the host (ipc: host), and no OpenSplice daemon for that domain is defined in the directory\'s or the site\'s compose files: it cannot create its DDS participant and exits.' },
  'dds-domain-mismatch': { severity: 'warning', summary: 'LSST_DDS_DOMAIN_NAME ends with another number than LSST_DDS_DOMAIN_ID (ospl_sp_ddsi_7 on domain 8): the ID decides where the producer runs, the name misleads whoever reads the file, the logs or the daemon\'s info file.' },
  'dev-producer-expired': { severity: 'info', summary: 'A development producer (owner/purpose/expiry labels) is past its expiry: take it down or extend it.' },
  'analysis-limit': { severity: 'error', summary: 'A limit that keeps the checker bounded was reached (file too large, merge keys or aliases expanding too far, too many problems); the file is not fully checked.' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/**
 * The codes that mean "docker-compose refuses this file" (config or project load fails, so
 * `up` never starts a container). An error with one of these codes is the checker's refuse
 * verdict; the differential test against the real docker-compose holds it to that.
 */
export const COMPOSE_REFUSAL_CODES: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>([
  'yaml-syntax',
  'compose-type',
  'compose-unknown-key',
  'compose-undeclared-volume',
  'compose-undefined-service',
  'compose-undefined-network',
  'compose-service-name',
  'compose-no-image',
  'compose-interpolation',
  'compose-invalid-value',
  // Only as an error, i.e. ${VAR:?message} with VAR unset; a plain unset variable is a warning.
  'variable-unset',
]);

/** True when docker-compose would refuse a file with this finding. */
export function refusedByCompose(d: Diagnostic): boolean {
  return d.severity === 'error' && COMPOSE_REFUSAL_CODES.has(d.code);
}

export function diagnostic(
  code: DiagnosticCode,
  range: Range,
  message: string,
  extra: Partial<Pick<Diagnostic, 'fixes' | 'related' | 'severity'>> = {},
): Diagnostic {
  return { code, severity: extra.severity ?? DIAGNOSTIC_CODES[code].severity, message, range, ...extra };
}
