// What a command was run on, whatever ran it: a row of the producers view, the palette's tree
// picker, another command, a test or a link. One parser for all of them; no vscode import, so
// it is unit-tested in plain Node (test/unit/commands/commandArg.test.ts).
import type { Producer } from '../../core/producers/producerTypes';

/** The contextValue of each kind of row in the producers view (producersTree.ts sets them). */
export type TreeContext = 'host' | 'host.connected' | 'producer' | 'producer.running' | 'csc' | 'topic';

export const hostContext = (connected: boolean): TreeContext => (connected ? 'host.connected' : 'host');
export const producerContext = (p: Pick<Producer, 'state'>): TreeContext => (p.state === 'running' ? 'producer.running' : 'producer');

/**
 * The rows of the producers view, as commands receive them. Every row below a host carries the
 * host's alias: a command acts on the host of the row it was run on.
 */
export interface HostNode { kind: 'host'; alias: string }
export interface ProducerNode { kind: 'producer'; alias: string; producer: Producer }
export interface CscNode { kind: 'csc'; alias: string; producer: Producer; key: string; listed: boolean }

/** What commands understand, parsed from any of the accepted shapes. */
export interface CommandTarget {
  /** The host alias. */
  host?: string;
  /** The producer of a tree row (its container and service are known). */
  producer?: Producer;
  /** The compose service (from `service`, or the producer of a tree row). */
  service?: string;
  /** A container or service name given by another command ("salkafka-m2"). */
  container?: string;
  /** A CSC word ("MTM2", "MTHexapod:1"): `csc`, or the key of a CSC row. */
  csc?: string;
  force?: boolean;
  backup?: string;
  expectedDomainId?: string;
  /** The compose file that defines the producer, when not the main one (a tree row's producer, or given). */
  composeFile?: string;
}

/** What a bare string argument names: a host (connect, refresh, …) or a producer (logs). */
export type BareString = 'host' | 'container';

/**
 * Accepts a tree row ({kind, alias, producer, key}), a plain object ({host, service, csc,
 * force, backup, expectedDomainId, container, composeFile}) or a bare string; anything else gives {}.
 * Only non-empty strings count; `force` only when exactly true.
 */
export function parseCommandArg(arg: unknown, bare: BareString = 'host'): CommandTarget {
  if (typeof arg === 'string') return arg ? (bare === 'host' ? { host: arg } : { container: arg }) : {};
  if (!arg || typeof arg !== 'object' || Array.isArray(arg)) return {};
  const a = arg as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const producer = isProducer(a.producer) ? a.producer : undefined;
  const out: CommandTarget = {
    host: str(a.host) ?? str(a.alias),
    producer,
    service: str(a.service) ?? str(producer?.serviceName) ?? str(producer?.name),
    container: str(a.container),
    csc: str(a.csc) ?? (a.kind === 'csc' ? str(a.key) : undefined),
    force: a.force === true ? true : undefined,
    backup: str(a.backup),
    expectedDomainId: str(a.expectedDomainId),
    composeFile: str(a.composeFile) ?? str(producer?.composeFile),
  };
  for (const k of Object.keys(out) as (keyof CommandTarget)[]) if (out[k] === undefined) delete out[k];
  return out;
}

function isProducer(v: unknown): v is Producer {
  return !!v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string';
}
