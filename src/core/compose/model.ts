import type { Document, Node } from 'yaml';
import type { LimitHit } from './analysisLimits';
import type { Range } from './range';

/** Half-open [start, end) offsets into the compose file's text. */
export type { Range };

/** A `${VAR}` / `$VAR` reference inside a value, with its resolution. */
export interface VariableRef {
  name: string;
  /** The whole `${…}` token. */
  range: Range;
  /** `-`/`:-` default, `?`/`:?` required-with-message, `+`/`:+` alternative. */
  operator?: string;
  operand?: string;
  /** Value after resolution; undefined when unset and without default. */
  resolved?: string;
  unset: boolean;
}

/** A value as written and as docker-compose would see it after interpolation. */
export interface InterpolatedValue {
  raw: string;
  value: string;
  variables: VariableRef[];
  /** Source range of the characters of `raw`; exact when `exact`, else the node's range. */
  range: Range;
  /** True when raw[i] sits at text[range.start + i] (plain or simple quoted scalar). */
  exact: boolean;
}

/** One environment entry, from either `- KEY=VALUE` (list) or `KEY: VALUE` (map). */
export interface EnvEntry {
  key: string;
  keyRange: Range;
  /** Undefined for a bare `- KEY` / `KEY:` (value taken from the shell). */
  value?: InterpolatedValue;
  /** The whole list item or map pair. */
  range: Range;
  form: 'list' | 'map';
  node: Node;
}

export type CscTokenKind = 'csc' | 'option' | 'optionValue';

/** One whitespace-separated word of CSC_LIST. */
export interface CscToken {
  text: string;
  kind: CscTokenKind;
  /** For csc tokens: the component name and the index after `:`, if any. */
  name: string;
  index?: string;
  range: Range;
  /** True when the token's range is exact (see InterpolatedValue.exact). */
  exact: boolean;
}

export interface CscList {
  entry: EnvEntry;
  tokens: CscToken[];
}

export interface ScalarField {
  value: string;
  range: Range;
}

export interface NetworkAttachment {
  network: string;
  ipv4Address?: ScalarField;
}

/**
 * A name a service uses that must be defined elsewhere in the file: another service
 * (depends_on, links, extends, network_mode/pid/ipc `service:X`, volumes_from), a network,
 * or a named volume (a short-syntax mount whose source does not start with `.`, `/` or `~`,
 * or a long-syntax `type: volume`).
 */
export interface ServiceRef {
  kind: 'service' | 'network' | 'volume';
  name: string;
  /** The key that makes the reference, as docker-compose names it. */
  via: 'depends_on' | 'links' | 'extends' | 'network_mode' | 'pid' | 'ipc' | 'volumes_from' | 'networks' | 'volumes';
  range: Range;
  /** For a short-syntax volume written in the file as is: the empty range where its source starts (for the ./ fix). */
  sourceAt?: Range;
  /** The mount as docker-compose prints it (`startup.sh:/home/saluser/.startup.sh:rw`). */
  display?: string;
}

export interface ServiceModel {
  name: string;
  nameRange: Range;
  /** The service's mapping node (value side), or the key when the value is not a map. */
  range: Range;
  node: Node | null;
  /** Named `salkafka-*` or has CSC_LIST. */
  isProducer: boolean;
  containerName?: ScalarField;
  image?: ScalarField & { interpolated: string };
  environment: EnvEntry[];
  /** Last entry per key (docker-compose keeps the last). */
  env: Map<string, EnvEntry>;
  envFiles: ScalarField[];
  cscList?: CscList;
  networks: NetworkAttachment[];
  networkMode?: ScalarField;
  refs: ServiceRef[];
}

export interface ComposeModel {
  text: string;
  doc: Document.Parsed;
  services: ServiceModel[];
  /** Earlier definitions of a service name defined twice (docker-compose drops them). */
  shadowedServices: ServiceModel[];
  servicesRange?: Range;
  /** Every variable reference found anywhere in the file. */
  variables: VariableRef[];
  /** Set when the file was not parsed at all (too large, nested beyond the parser's stack). */
  limit?: LimitHit;
  /** Names defined under the top-level `networks:` and `volumes:` keys. */
  declared: { networks: string[]; volumes: string[] };
}

/** Variables for interpolation, in precedence order already merged by the caller. */
export type Variables = Record<string, string>;
