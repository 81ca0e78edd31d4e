import { nameList } from '../../compose/analysisLimits';
import type { Range, ServiceModel } from '../../compose/model';
import { diagnosticsOf, type CodeTable } from '../diagnostic';
import { declareRule, type Rule } from '../ruleContext';
import { othersThan } from './othersThan';

/** The codes this rule reports (severity and summary; the README table shows them). */
export const CODES = {
  'container-name-mismatch': { severity: 'warning', summary: 'container_name names another producer than its service (`salkafka-eas` for `salkafka-test`); a decorating scheme such as `salkafka_producer_01` for `salkafka_01` is fine.' },
  'container-name-conflict': { severity: 'error', summary: 'Two services share a container_name; one cannot start.' },
  'ipv4-address-conflict': { severity: 'error', summary: 'Two services share a static ipv4_address; one cannot start.' },
} as const satisfies CodeTable;
const diagnostic = diagnosticsOf(CODES);

/**
 * Container identity. A container_name that decorates its service name (the 2019–2020
 * EFD files: `salkafka_producer_01` for `salkafka_01`, `salkafka_producer` for
 * `salkafka`, `salkafka_producer_atdome` for `salkafka_atdome`) is a scheme, not a mistake.
 * One that names another producer (the copied `salkafka-test` block whose container is
 * `salkafka-eas`) makes `docker logs`, the producers view and runbooks take one producer
 * for another. Shared names or static addresses stop a start.
 * Linear in the number of services: each message names a handful of the others and counts the rest.
 */
export const containers: Rule = (ctx) => {
  const byContainer = new Map<string, ServiceModel[]>();
  const byAddress = new Map<string, { service: ServiceModel; range: Range; address: string; network: string }[]>();
  for (const s of ctx.model.services) {
    const cn = s.containerName;
    if (cn) {
      const own = producerIdentity(s.name);
      const named = producerIdentity(cn.value);
      if (cn.value !== s.name && own !== named) {
        ctx.report(
          diagnostic(
            'container-name-mismatch',
            cn.range,
            `container_name "${cn.value}" names another producer than its service "${s.name}" (${named || 'no name'}, not ${own || 'no name'}); docker logs, the producers view and runbooks would take one for the other.`,
            { fixes: [{ title: `Set container_name to ${s.name}`, edits: [{ range: cn.range, newText: s.name }], preferred: true }] },
          ),
        );
      }
      pushTo(byContainer, cn.value, s);
    }
    for (const n of s.networks) {
      if (!n.ipv4Address) continue;
      pushTo(byAddress, `${n.network}\u0000${n.ipv4Address.value}`, { service: s, range: n.ipv4Address.range, address: n.ipv4Address.value, network: n.network });
    }
  }
  for (const [name, services] of byContainer) {
    if (services.length < 2) continue;
    for (const s of services) {
      const others = othersThan(services, s);
      ctx.report(
        diagnostic('container-name-conflict', s.containerName!.range, `container_name "${name}" is also used by ${nameList(others.map((o) => o.name), services.length - 1)}; only one of them can run.`, {
          related: others.map((o) => ({ range: o.containerName!.range, message: `container_name of ${o.name}` })),
        }),
      );
    }
  }
  for (const uses of byAddress.values()) {
    if (uses.length < 2) continue;
    for (const u of uses) {
      const others = othersThan(uses, u);
      ctx.report(
        diagnostic('ipv4-address-conflict', u.range, `ipv4_address ${u.address} on network ${u.network} is also given to ${nameList(others.map((o) => o.service.name), uses.length - 1)}; the second container will fail to start.`, {
          related: others.map((o) => ({ range: o.range, message: `ipv4_address of ${o.service.name}` })),
        }),
      );
    }
  }
};

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Words that decorate a producer's name in the schemes seen in Rubin's files; what is left names the producer. */
const DECORATION = new Set(['salkafka', 'kafka', 'sal', 'producer', 'producers', 'writer', 'writers', 'efd', 'container']);

/** `salkafka_producer_01` → `1`, `salkafka-auxtel` → `auxtel`, `salkafka` → ``. */
export function producerIdentity(name: string): string {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !DECORATION.has(w))
    .map((w) => (/^\d+$/.test(w) ? String(Number(w)) : w))
    .join('-');
}

export const containersRule = declareRule({
  rule: containers,
  codes: CODES,
  kinds: ['compose'],
  perService: true,
  crossService: ['container-name-conflict', 'ipv4-address-conflict'],
});
