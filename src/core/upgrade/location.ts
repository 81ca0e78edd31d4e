// Where a producer's cycle lives: the tag written in the compose file's `image:`, or a variable
// (`CYCLE`, `CYCLE_<SYSTEM>`) assigned in an env file operators source before docker-compose
// (setup.env, setup_kp.env), or that variable's `${VAR:-default}` in the compose file. The
// upgrade edits exactly that place, so it is found from the files, never assumed. Pure.
import type { EnvDiscovery } from '../compose/envDiscovery';
import type { Range, ServiceModel } from '../compose/model';

export type CycleLocation =
  | {
      kind: 'literal';
      /** The compose file holding the tag. */
      file: string;
      /** Offsets of the tag's characters in that file. */
      range: Range;
      value: string;
    }
  | {
      kind: 'variable';
      variable: string;
      /** The env file whose assignment wins (or the compose file, for a `${VAR:-default}`). */
      file: string;
      range: Range;
      value: string;
      /** Line number (1-based) of the assignment, for messages. */
      line: number;
    }
  | { kind: 'unknown'; reason: string };

/** A key that is equal for two producers exactly when editing one place moves both. */
export function locationKey(l: CycleLocation): string | undefined {
  return l.kind === 'unknown' ? undefined : `${l.file}\u0000${l.range.start}`;
}

/** "the tag in docker-compose.yaml line 10" / "CYCLE_EAS in setup_kp.env line 4". */
export function describeLocation(l: CycleLocation, shown: (path: string) => string = (p) => p): string {
  if (l.kind === 'unknown') return `unknown (${l.reason})`;
  if (l.kind === 'literal') return `the image tag in ${shown(l.file)}`;
  return `${l.variable} in ${shown(l.file)} line ${l.line}`;
}

/**
 * Splits an image reference's source text into the part before the tag and the tag, ignoring
 * colons inside `${VAR:-default}`. Undefined when there is no tag (or only a digest).
 */
export function tagSpan(src: string): { start: number; end: number } | undefined {
  let depth = 0;
  let colon = -1;
  let slash = -1;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '$' && src[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}' && depth > 0) depth--;
    else if (depth === 0 && c === '/') slash = i;
    else if (depth === 0 && c === ':') colon = i;
    else if (depth === 0 && c === '@') return undefined;
  }
  return colon > slash ? { start: colon + 1, end: src.length } : undefined;
}

const VAR_ONLY = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))$/;

/**
 * The last assignment of `name` in an env file's text (the shell keeps the last), with the
 * range of its value's characters (inside quotes, before a ` # comment`).
 */
export function envAssignment(text: string, name: string): { range: Range; value: string; line: number } | undefined {
  let found: { range: Range; value: string; line: number } | undefined;
  const re = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*)$/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[1] !== name) continue;
    const valueStart = m.index + m[0].length - m[2].length;
    let raw = m[2].replace(/\r$/, '');
    let start = valueStart;
    if ((raw.startsWith('"') || raw.startsWith("'")) && raw.indexOf(raw[0], 1) > 0) {
      const close = raw.indexOf(raw[0], 1);
      start = valueStart + 1;
      raw = raw.slice(1, close);
    } else {
      const hash = raw.search(/\s#/);
      raw = (hash >= 0 ? raw.slice(0, hash) : raw).trimEnd();
    }
    const line = text.slice(0, m.index).split('\n').length;
    found = { range: { start, end: start + raw.length }, value: raw, line };
  }
  return found;
}

/**
 * Where the cycle of `service` (in the compose file `composePath`, with `composeText`) lives.
 * `envTexts` holds the text of each env file of `discovery.files` (by path).
 */
export function findCycleLocation(
  service: ServiceModel,
  composePath: string,
  composeText: string,
  discovery: Pick<EnvDiscovery, 'origin' | 'variables'>,
  envTexts: Readonly<Record<string, string>>,
): CycleLocation {
  const image = service.image;
  if (!image) return { kind: 'unknown', reason: `${service.name} has no image: key` };
  const src = composeText.slice(image.range.start, image.range.end);
  if (src !== image.value) return { kind: 'unknown', reason: `the image of ${service.name} is written across lines or with escapes; edit it by hand` };
  const span = tagSpan(src);
  if (!span) return { kind: 'unknown', reason: `the image of ${service.name} (${image.value}) has no tag${src.includes('@') ? ' (it is pinned by digest)' : ''}` };
  const tagSrc = src.slice(span.start, span.end);
  const tagRange = { start: image.range.start + span.start, end: image.range.start + span.end };
  if (!tagSrc.includes('$')) return { kind: 'literal', file: composePath, range: tagRange, value: tagSrc };
  const v = VAR_ONLY.exec(tagSrc);
  if (!v) return { kind: 'unknown', reason: `the tag of ${service.name} is built from several parts (${tagSrc}); edit it by hand` };
  return variableLocation(v[1] ?? v[4], discovery, envTexts, { composePath, tagRange, operator: v[2], operand: v[3] }, 0);
}

function variableLocation(
  name: string,
  discovery: Pick<EnvDiscovery, 'origin' | 'variables'>,
  envTexts: Readonly<Record<string, string>>,
  inCompose: { composePath: string; tagRange: Range; operator?: string; operand?: string } | undefined,
  depth: number,
): CycleLocation {
  const origin = discovery.origin[name];
  const value = discovery.variables[name];
  const useDefault = inCompose?.operator !== undefined && (value === undefined || (inCompose.operator === ':-' && value === ''));
  if (useDefault && inCompose) {
    // `${CYCLE:-c0020}` with CYCLE unset: the default in the compose file is the place.
    const operandStart = inCompose.tagRange.end - 1 - (inCompose.operand ?? '').length;
    return { kind: 'variable', variable: name, file: inCompose.composePath, range: { start: operandStart, end: inCompose.tagRange.end - 1 }, value: inCompose.operand ?? '', line: 0 };
  }
  if (value === undefined) return { kind: 'unknown', reason: `${name} is not set in any env file sourced for this compose file` };
  if (!origin || origin === 'shell') return { kind: 'unknown', reason: `${name} comes from the login shell, not from an env file; set it there by hand` };
  const text = envTexts[origin];
  if (text === undefined) return { kind: 'unknown', reason: `${name} is set in ${origin}, which could not be read` };
  const a = envAssignment(text, name);
  if (!a) return { kind: 'unknown', reason: `${name} is set in ${origin}, but no plain ${name}=… line was found there` };
  const inner = VAR_ONLY.exec(a.value);
  if (inner && !inner[2] && depth < 3) {
    // CYCLE_EAS=${CYCLE}: the cycle lives where CYCLE is set.
    return variableLocation(inner[1] ?? inner[4], discovery, envTexts, undefined, depth + 1);
  }
  if (a.value.includes('$')) return { kind: 'unknown', reason: `${name} in ${origin} line ${a.line} is built from other variables (${a.value}); edit it by hand` };
  return { kind: 'variable', variable: name, file: origin, range: a.range, value: a.value, line: a.line };
}
