// Is a producer writing the production EFD? Production changes need a second, typed
// confirmation. When in doubt the answer is yes: an unset domain id means domain 0, which is
// the summit's production DDS domain.
import type { ServiceModel } from '../compose/model';

export interface ProductionSettings {
  /** efdSalkafka.production.hosts: aliases or host names. */
  hosts: readonly string[];
  /** efdSalkafka.production.partitions: LSST_DDS_PARTITION_PREFIX values. */
  partitions: readonly string[];
}

export interface ProductionVerdict {
  production: boolean;
  /** Every reason that applies (empty when not production). */
  reasons: string[];
  /** LSST_DDS_DOMAIN_ID as docker-compose would pass it; undefined when unset. */
  domainId?: string;
  partitionPrefix?: string;
}

/** The value of an environment key after interpolation, or undefined when unset/unresolved. */
export function envValue(service: ServiceModel | undefined, key: string): string | undefined {
  const e = service?.env.get(key);
  if (!e?.value) return undefined;
  if (e.value.variables.some((v) => v.unset && v.resolved === undefined)) return undefined;
  const v = e.value.value.trim();
  return v === '' ? undefined : v;
}

export function detectProduction(
  host: { alias: string; hostName?: string },
  service: ServiceModel | undefined,
  settings: ProductionSettings,
): ProductionVerdict {
  const reasons: string[] = [];
  const domainId = envValue(service, 'LSST_DDS_DOMAIN_ID');
  const partitionPrefix = envValue(service, 'LSST_DDS_PARTITION_PREFIX');
  if (domainId === undefined) reasons.push('LSST_DDS_DOMAIN_ID is unset (DDS uses domain 0, production)');
  else if (!/^\d+$/.test(domainId)) reasons.push(`LSST_DDS_DOMAIN_ID is "${domainId}", not a number (treated as production)`);
  else if (Number(domainId) === 0) reasons.push('LSST_DDS_DOMAIN_ID is 0 (production domain)');
  const hostNames = [host.alias, host.hostName].filter((h): h is string => !!h).map((h) => h.toLowerCase());
  const hostHit = settings.hosts.find((h) => hostNames.includes(h.toLowerCase()));
  if (hostHit) reasons.push(`host ${hostHit} is listed in efdSalkafka.production.hosts`);
  if (partitionPrefix !== undefined && settings.partitions.includes(partitionPrefix)) {
    reasons.push(`LSST_DDS_PARTITION_PREFIX ${partitionPrefix} is listed in efdSalkafka.production.partitions`);
  }
  const out: ProductionVerdict = { production: reasons.length > 0, reasons };
  if (domainId !== undefined) out.domainId = domainId;
  if (partitionPrefix !== undefined) out.partitionPrefix = partitionPrefix;
  return out;
}
