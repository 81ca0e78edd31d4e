import { isMap, isScalar, isSeq, Node, Scalar } from 'yaml';
import type { Range } from '../../compose/model';
import { yaml11Type } from '../../compose/yaml11';
import { getEntry, lastOfEach, mapEntries, rangeOf, resolveAlias, scalarSource } from '../../compose/yamlNodes';
import { interpolate } from '../../compose/interpolate';
import { diagnosticsOf, type CodeTable } from '../diagnostic';
import { declareRule, type Rule } from '../ruleContext';
import { hasSyntaxError } from './yamlErrors';

/** The codes this rule reports (severity and summary; the README table shows them). */
export const CODES = {
  'compose-service-name': { severity: 'error', summary: 'A service name docker-compose refuses (characters, a number, upper case without image).' },
  'compose-no-image': { severity: 'error', summary: 'A service with neither image nor build; docker-compose refuses the file.' },
  'compose-interpolation': { severity: 'error', summary: 'A "$" docker-compose cannot interpolate (write $$ for a literal dollar sign).' },
  'compose-invalid-value': { severity: 'error', summary: 'A value docker-compose refuses: version, a port, expose, restart, subnet, an env name with spaces, a malformed or doubled mount, network_mode with networks, an external network/volume with attributes.' },
} as const satisfies CodeTable;
const diagnostic = diagnosticsOf(CODES);

/** docker-compose's service (and network, volume…) name pattern. */
const NAME = /^[a-zA-Z0-9._-]+$/;
/** Sections docker-compose interpolates; x- blocks are only interpolated where an alias uses them. */
const INTERPOLATED = ['services', 'networks', 'volumes', 'secrets', 'configs'];

/**
 * What docker-compose refuses inside one service or at the top level, beyond key names and
 * types (structure.ts) and cross-references (composeReferences.ts): the file format version,
 * service names, a service with neither image nor build, `$` that is not an interpolation,
 * malformed or doubled volume mounts. Each message quotes docker-compose's own reason.
 */
export const composeService: Rule = (ctx) => {
  const { model, report } = ctx;
  const { doc, text } = model;
  if (hasSyntaxError(model)) return;
  const root = doc.contents as Node | null;
  if (!isMap(root)) return;
  const top = mapEntries(doc, root);
  const version = getEntry(top, 'version');
  if (version && yaml11Type(version.value) === 'string') {
    const v = String((version.value as Scalar).value);
    const range = rangeOf(version.value) ?? rangeOf(version.keyNode)!;
    if (!/^[1-3]+(\.\d+)?$/.test(v)) report(diagnostic('compose-invalid-value', range, `Version "${v}" is invalid; docker-compose accepts "2", "2.x", "3" or "3.x" (or no version key).`));
    else if (v.startsWith('1')) report(diagnostic('compose-invalid-value', range, `Version "${v}" is the retired version 1 format; docker-compose refuses it. Use "3.x" with services under services:.`));
  }
  // An external network or volume is only named, never configured (config.py validate_external).
  for (const [key, kind] of [['networks', 'Network'], ['volumes', 'Volume'], ['secrets', 'Secret'], ['configs', 'Config']] as const) {
    for (const e of lastOfEach(mapEntries(doc, getEntry(top, key)?.value ?? null))) {
      const attrs = lastOfEach(mapEntries(doc, e.value));
      const external = getEntry(attrs, 'external');
      if (!external || !isTruthy(external.value)) continue;
      const extra = attrs.filter((a) => a.key !== 'external' && a.key !== 'name' && !(kind === 'Network' && a.key === 'driver'));
      if (extra.length) {
        report(diagnostic('compose-invalid-value', rangeOf(extra[0].keyNode) ?? rangeOf(e.keyNode)!, `${kind} ${e.key} is external, so it takes no ${extra.map((a) => a.key).join(', ')}; docker-compose refuses the file: "${kind} ${e.key} declared as external but specifies additional attributes".`));
      }
    }
  }
  // ipam subnets must be CIDR (compose's subnet_ip_address format).
  for (const net of lastOfEach(mapEntries(doc, getEntry(top, 'networks')?.value ?? null))) {
    const config = getEntry(mapEntries(doc, getEntry(mapEntries(doc, net.value), 'ipam')?.value ?? null), 'config')?.value ?? null;
    for (const item of isSeq(config) ? config.items : []) {
      const subnet = getEntry(mapEntries(doc, resolveAlias(doc, item)), 'subnet')?.value ?? null;
      if (isScalar(subnet) && typeof (subnet as Scalar).value === 'string' && !isCidr(String((subnet as Scalar).value))) {
        report(diagnostic('compose-invalid-value', rangeOf(subnet)!, `Subnet "${String((subnet as Scalar).value)}" of network ${net.key} is not in CIDR form (e.g. 172.28.0.0/16); docker-compose refuses it: "should use the CIDR format".`));
      }
    }
  }
  const services = getEntry(top, 'services');
  for (const e of isMap(services?.value) ? lastOfEach(mapEntries(doc, services!.value)) : []) {
    if (e.merged) continue;
    const keyRange = rangeOf(e.keyNode) ?? rangeOf(services!.keyNode)!;
    const keyType = yaml11Type(e.keyNode);
    if (keyType !== 'string') {
      report(diagnostic('compose-service-name', keyRange, `The service name ${e.key} is read as a ${keyType === 'int' || keyType === 'float' ? 'number' : keyType}; docker-compose refuses it: "the service name ${e.key} must be a quoted string, i.e. '${e.key}'".`));
      continue;
    }
    if (!NAME.test(e.key)) {
      report(diagnostic('compose-service-name', keyRange, `Invalid service name "${e.key}": docker-compose allows only letters, digits, ".", "_" and "-".`));
      continue;
    }
    const svc = isMap(e.value) ? mapEntries(doc, e.value) : [];
    if (!isMap(e.value) && e.value !== null && !(isScalar(e.value) && (e.value as Scalar).value === null)) continue; // a type error (structure.ts)
    const has = (k: string) => getEntry(svc, k) !== undefined;
    if (!has('image') && !has('build') && !has('extends')) {
      report(diagnostic('compose-no-image', keyRange, `Service "${e.key}" has neither image nor build; docker-compose refuses the file: "At least one must be provided".`));
    } else if (!has('image') && has('build') && /[A-Z]/.test(e.key)) {
      report(diagnostic('compose-service-name', keyRange, `Service "${e.key}" has upper-case letters and no image: key, so its image would be named after it; docker-compose refuses that. Use a lower-case name or set image:.`));
    }
    if (has('network_mode') && has('networks')) {
      report(diagnostic('compose-invalid-value', rangeOf(getEntry(svc, 'networks')!.keyNode) ?? keyRange, `Service "${e.key}" sets both network_mode and networks; docker-compose refuses the file: "'network_mode' and 'networks' cannot be combined".`));
    }
    mounts(ctx, e.key, getEntry(svc, 'volumes')?.value ?? null);
    ports(ctx, e.key, getEntry(svc, 'ports')?.value ?? null, getEntry(svc, 'expose')?.value ?? null);
    environmentNames(ctx, e.key, getEntry(svc, 'environment')?.value ?? null);
    const restart = getEntry(svc, 'restart')?.value ?? null;
    if (isScalar(restart) && yaml11Type(restart) === 'string') {
      // types.py parse_restart_spec: mode[:max_retry]; anything else stops docker-compose with an error.
      const value = interpolate(String((restart as Scalar).value), ctx.options.variables ?? {}).value;
      const parts = value.split(':');
      if (parts.length > 2 || (parts.length === 2 && !/^\s*[-+]?\d+\s*$/.test(parts[1]))) {
        report(diagnostic('compose-invalid-value', rangeOf(restart)!, `restart "${value}" of service "${e.key}" should be no, always, unless-stopped or on-failure[:N]; docker-compose refuses this one ("should be mode[:max_retry]").`));
      }
    }
  }
  // `$` docker-compose cannot interpolate. Reported once per scalar node (aliases share nodes).
  const seen = new Set<Node>();
  const walk = (raw: unknown, depth: number): void => {
    const n = resolveAlias(doc, raw);
    if (!n || seen.has(n) || depth > 64) return;
    seen.add(n);
    if (isScalar(n)) {
      if (typeof (n as Scalar).value !== 'string') return;
      const src = scalarSource(text, n);
      if (!src) return;
      const at = invalidDollar(src.raw);
      if (at < 0) return;
      const range: Range = src.exact ? { start: src.range.start + at, end: src.range.start + at + 1 } : src.range;
      report(diagnostic('compose-interpolation', range, `docker-compose cannot interpolate this "$" and refuses the file ("Invalid interpolation format"). Write $$ for a literal dollar sign, or \${NAME} for a variable.`));
    } else if (isSeq(n)) for (const item of n.items) walk(item, depth + 1);
    else if (isMap(n)) for (const entry of lastOfEach(mapEntries(doc, n))) walk(entry.value, depth + 1);
  };
  for (const key of INTERPOLATED) {
    const section = getEntry(top, key);
    if (section) walk(section.value, 0);
  }
};

/**
 * Offset of the first `$` docker-compose 1.x cannot interpolate, or -1. Its template accepts
 * `$$`, `$NAME` and `${NAME}`, `${NAME-default}`, `${NAME:-default}`, `${NAME?err}`,
 * `${NAME:?err}` (no `+` forms, no nesting); any other `$` is an error.
 */
export function invalidDollar(s: string): number {
  for (let i = s.indexOf('$'); i >= 0; i = s.indexOf('$', i)) {
    const rest = s.slice(i + 1);
    if (rest.startsWith('$')) i += 2;
    else if (/^[_a-z]/i.test(rest)) i += 1 + /^[_a-z][_a-z0-9]*/i.exec(rest)![0].length;
    else {
      const braced = /^\{[_a-z][_a-z0-9]*(?:(?::?[-?])[^}]*)?\}/i.exec(rest);
      if (!braced) return i;
      i += 1 + braced[0].length;
    }
  }
  return -1;
}

const IPV4_SEG = '(\\d{1,2}|1\\d{2}|2[0-4]\\d|25[0-5])';
const IPV4_CIDR = new RegExp(`^(${IPV4_SEG}\\.){3}${IPV4_SEG}/(\\d|[1-2]\\d|3[0-2])$`);
const IPV6_CIDR = /^[0-9a-fA-F:.]*:[0-9a-fA-F:.%]*\/(\d|[1-9]\d|1[0-1]\d|12[0-8])$/;

function isCidr(s: string): boolean {
  return IPV4_CIDR.test(s) || IPV6_CIDR.test(s);
}

/** docker's port spec: [[ip:]host_port[-end]:]container_port[-end][/udp|tcp|sctp]. */
const PORT_SPEC = /^((\[?([a-fA-F\d.:]+)\]?:)?(\d*)(-(\d+))?:)?(\d+)(-(\d+))?(\/(udp|tcp|sctp))?$/;

/** Why docker-compose refuses a port mapping, or undefined. */
export function portProblem(spec: string): string | undefined {
  const m = PORT_SPEC.exec(spec);
  if (!m) return 'should be [[remote_ip:]remote_port[-remote_port]:]port[/protocol]';
  const internal = m[9] ? Number(m[9]) - Number(m[7]) + 1 : 1;
  const external = m[4] ? (m[6] ? Number(m[6]) - Number(m[4]) + 1 : 1) : undefined;
  // A single container port may take a host range (a random free port of it).
  if (external !== undefined && internal !== 1 && internal !== external) return "port ranges don't match in length";
  if (internal < 1) return 'the container port range is empty';
  return undefined;
}

function ports(ctx: Parameters<Rule>[0], service: string, portsNode: Node | null, exposeNode: Node | null): void {
  const { model, report } = ctx;
  for (const raw of isSeq(portsNode) ? portsNode.items : []) {
    const item = resolveAlias(model.doc, raw);
    if (!isScalar(item)) continue;
    const type = yaml11Type(item);
    if (type !== 'string' && type !== 'int') continue; // other types: structure.ts
    const text = type === 'int' ? pyInt(item as Scalar) : String((item as Scalar).value);
    const why = text === undefined ? undefined : portProblem(text);
    if (why) report(diagnostic('compose-invalid-value', rangeOf(item)!, `Port "${text}" of service "${service}" is not a port mapping docker-compose accepts: ${why}.`));
  }
  for (const raw of isSeq(exposeNode) ? exposeNode.items : []) {
    const item = resolveAlias(model.doc, raw);
    if (!isScalar(item) || yaml11Type(item) !== 'string') continue;
    const text = String((item as Scalar).value);
    if (!/^\d+(-\d+)?(\/[a-zA-Z]+)?$/.test(text)) {
      report(diagnostic('compose-invalid-value', rangeOf(item)!, `expose "${text}" of service "${service}" should be PORT[/PROTOCOL]; docker-compose refuses it.`));
    }
  }
}

/** str() of the int PyYAML reads from a plain scalar (1:20 is base 60, 0o17 octal…); undefined if unsure. */
function pyInt(s: Scalar): string | undefined {
  const src = (typeof s.source === 'string' ? s.source : String(s.value)).replace(/_/g, '');
  const sign = src.startsWith('-') ? -1 : 1;
  const body = src.replace(/^[-+]/, '');
  let n: number;
  if (body.includes(':')) n = body.split(':').reduce((acc, d) => acc * 60 + Number(d), 0);
  else if (/^0b/.test(body)) n = parseInt(body.slice(2), 2);
  else if (/^0x/.test(body)) n = parseInt(body.slice(2), 16);
  else if (/^0\d/.test(body)) n = parseInt(body, 8);
  else n = Number(body);
  return Number.isFinite(n) ? String(sign * n) : undefined;
}

/** docker-compose refuses an environment variable name with whitespace in it (split_env). */
function environmentNames(ctx: Parameters<Rule>[0], service: string, node: Node | null): void {
  const { model, report } = ctx;
  const bad = (key: string, range: Range | undefined) => {
    if (range && /\s/.test(key)) report(diagnostic('compose-invalid-value', range, `Environment variable name "${key}" of service "${service}" contains whitespace; docker-compose refuses it.`));
  };
  if (isSeq(node)) {
    for (const raw of node.items) {
      const item = resolveAlias(model.doc, raw);
      if (isScalar(item) && typeof (item as Scalar).value === 'string') bad(String((item as Scalar).value).split('=')[0], rangeOf(item));
    }
  } else if (isMap(node)) {
    for (const e of lastOfEach(mapEntries(model.doc, node))) bad(e.key, rangeOf(e.keyNode));
  }
}

/** external: true / a mapping, as docker-compose reads it (PyYAML booleans, to_boolean strings). */
function isTruthy(n: Node | null): boolean {
  if (isMap(n)) return true;
  if (!isScalar(n)) return false;
  const v = (n as Scalar).value;
  if (typeof v === 'boolean') return v;
  const type = yaml11Type(n);
  if (type === 'boolean' || type === 'string') return /^(y|yes|true|on)$/i.test(String(v));
  return typeof v === 'number' ? v !== 0 : false;
}

/** Short-syntax mounts docker-compose cannot parse, and two mounts on one container path. */
function mounts(ctx: Parameters<Rule>[0], service: string, node: Node | null): void {
  const { model, report } = ctx;
  if (!isSeq(node)) return;
  const targets = new Map<string, string>();
  for (const raw of node.items) {
    const item = resolveAlias(model.doc, raw);
    const range = rangeOf(item);
    if (!range) continue;
    let target: string | undefined;
    let shown = '';
    if (isMap(item)) {
      const t = getEntry(mapEntries(model.doc, item), 'target')?.value ?? null;
      target = isScalar(t) && t.value !== null ? String(t.value) : undefined;
      shown = target ?? '';
    } else if (isScalar(item) && typeof (item as Scalar).value === 'string') {
      const src = scalarSource(model.text, item);
      if (!src) continue;
      const value = interpolate(src.raw, ctx.options.variables ?? {}).value;
      const parts = value.split(':');
      if (parts.length > 3) {
        report(diagnostic('compose-invalid-value', range, `Volume "${value}" has too many ":"; docker-compose refuses it: "should be external:internal[:mode]".`));
        continue;
      }
      target = normalise(parts.length === 1 ? parts[0] : parts[1]);
      shown = value;
    }
    if (target === undefined) continue;
    const earlier = targets.get(target);
    if (earlier !== undefined) {
      report(diagnostic('compose-invalid-value', range, `Service "${service}" mounts two things on ${target} (${earlier} and ${shown}); docker-compose refuses the file: "Duplicate mount points".`));
    }
    targets.set(target, shown);
  }
}

function normalise(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return (p.startsWith('/') ? '/' : '') + parts.join('/');
}

export const composeServiceRule = declareRule({
  rule: composeService,
  codes: CODES,
  kinds: ['compose'],
});
