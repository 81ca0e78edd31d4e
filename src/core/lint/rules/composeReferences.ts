import type { ServiceModel, ServiceRef } from '../../compose/model';
import { diagnosticsOf, type CodeTable } from '../diagnostic';
import { declareRule, type Rule } from '../ruleContext';
import { hasSyntaxError } from './yamlErrors';

/** The codes this rule reports (severity and summary; the README table shows them). */
export const CODES = {
  'compose-undefined-service': { severity: 'error', summary: 'depends_on, links, extends or network_mode names a service the file does not define (or itself, or a circle).' },
  'compose-undefined-network': { severity: 'error', summary: 'A service joins a network not declared under the top-level networks: key.' },
  'compose-undeclared-volume': { severity: 'error', summary: 'A mount source without ./, / or ~ is a named volume, and none is declared; docker-compose refuses the file.' },
} as const satisfies CodeTable;
const diagnostic = diagnosticsOf(CODES);

/**
 * Names a service uses that the file does not define. docker-compose refuses all of these
 * (`config` for services and volumes, `up` for networks), with the reasons quoted below.
 * It uses only the model's per-service references and top-level declarations, so the
 * incremental linter can run it again on the combined services after an edit.
 */
export const composeReferences: Rule = ({ model, report }) => {
  // A partial model (incremental linter) has no doc; its chunks parsed without errors.
  if (model.doc && hasSyntaxError(model)) return;
  const services = new Set(model.services.map((s) => s.name));
  const networks = new Set(['default', ...(model.declared?.networks ?? [])]);
  const volumes = new Set(model.declared?.volumes ?? []);
  for (const s of model.services) {
    for (const ref of s.refs ?? []) {
      if (ref.kind === 'service') {
        if (ref.name === s.name && (ref.via === 'depends_on' || ref.via === 'links' || ref.via === 'volumes_from')) {
          report(diagnostic('compose-undefined-service', ref.range, `Service "${s.name}" names itself in ${ref.via}; docker-compose refuses the file: "A service can not ${ref.via === 'depends_on' ? 'depend on' : ref.via === 'links' ? 'link to' : 'mount'} itself".`));
        } else if (!services.has(ref.name)) {
          report(diagnostic('compose-undefined-service', ref.range, `${ref.via} names service "${ref.name}", which this file does not define; docker-compose refuses the file: "${serviceReason(s, ref)}".`));
        }
      } else if (ref.kind === 'network') {
        // With network_mode as well, composeService reports the combination instead.
        if (!s.networkMode && !networks.has(ref.name)) {
          report(diagnostic('compose-undefined-network', ref.range, `Network "${ref.name}" is not declared under the top-level networks: key; docker-compose refuses to start the file: "Service "${s.name}" uses an undefined network "${ref.name}"".`));
        }
      } else if (!volumes.has(ref.name)) {
        report(undeclaredVolume(s, ref));
      }
    }
  }
  for (const cycle of dependencyCycles(model.services, services)) {
    const s = cycle[0];
    const ref = s.refs.find((r) => r.kind === 'service' && (r.via === 'depends_on' || r.via === 'links') && r.name === cycle[1].name);
    if (ref) report(diagnostic('compose-undefined-service', ref.range, `Services ${cycle.map((c) => `"${c.name}"`).join(' → ')} depend on each other in a circle; docker-compose refuses the file ("Circular dependency").`));
  }
};

function serviceReason(s: ServiceModel, ref: ServiceRef): string {
  switch (ref.via) {
    case 'depends_on':
      return `Service '${s.name}' depends on service '${ref.name}' which is undefined.`;
    case 'links':
      return `Service '${s.name}' has a link to service '${ref.name}' which is undefined.`;
    case 'extends':
      return `Cannot extend service '${ref.name}': Service not found`;
    case 'network_mode':
      return `Service '${s.name}' uses the network stack of service '${ref.name}' which is undefined.`;
    case 'pid':
      return `Service '${s.name}' uses the PID namespace of service '${ref.name}' which is undefined.`;
    case 'ipc':
      return `Service '${s.name}' uses the IPC namespace of service '${ref.name}' which is undefined.`;
    default:
      return `Service "${ref.name}" mentioned in volumes_from is not defined`;
  }
}

function undeclaredVolume(s: ServiceModel, ref: ServiceRef) {
  const looksLikeFile = ref.sourceAt !== undefined && /\.[A-Za-z0-9]+$|\//.test(ref.name);
  const message =
    `"${ref.name}" is not a path (no ./, / or ~ in front), so docker-compose takes it for a named volume, and none is declared ` +
    `under the top-level volumes: key; it refuses the file: "Named volume "${ref.display}" is used in service "${s.name}" but no declaration was found in the volumes section."` +
    (looksLikeFile ? ` To mount the file beside the compose file, write ./${ref.name}.` : '');
  const fixes =
    ref.sourceAt !== undefined
      ? [{ title: `Mount ./${ref.name} (a file or directory beside the compose file)`, edits: [{ range: { ...ref.sourceAt }, newText: './' }], preferred: looksLikeFile }]
      : undefined;
  return diagnostic('compose-undeclared-volume', ref.range, message, fixes ? { fixes } : {});
}

/** Each circle of depends_on/links among defined services, reported once (from its first service). */
function dependencyCycles(services: ServiceModel[], defined: Set<string>): ServiceModel[][] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const edges = (s: ServiceModel) =>
    [...new Set(s.refs.filter((r) => r.kind === 'service' && (r.via === 'depends_on' || r.via === 'links') && r.name !== s.name && defined.has(r.name)).map((r) => r.name))];
  const state = new Map<string, 'open' | 'done'>();
  const cycles: ServiceModel[][] = [];
  const stack: ServiceModel[] = [];
  const visit = (s: ServiceModel) => {
    state.set(s.name, 'open');
    stack.push(s);
    for (const next of edges(s)) {
      const t = byName.get(next)!;
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t]);
      else if (!state.has(next)) visit(t);
    }
    stack.pop();
    state.set(s.name, 'done');
  };
  // The search recurses once per service in a chain; thousands of services are no kafka_writers file.
  if (services.length > 2000) return cycles;
  for (const s of services) if (!state.has(s.name)) visit(s);
  return cycles;
}

export const composeReferencesRule = declareRule({
  rule: composeReferences,
  codes: CODES,
  kinds: ['compose'],
  // A service linted alone (incremental.ts) lacks the other services and the top-level declarations.
  crossService: ['compose-undefined-service', 'compose-undefined-network', 'compose-undeclared-volume'],
});
