import type { VariableRef, Variables } from './model';

/**
 * docker-compose interpolation: `$$` is a literal `$`; `${VAR}`, `$VAR`, and the
 * operators `:-` `-` (default), `:?` `?` (required), `:+` `+` (alternative).
 * Offsets in the returned refs are relative to `raw`.
 */
export function interpolate(raw: string, vars: Variables): { value: string; refs: VariableRef[] } {
  const refs: VariableRef[] = [];
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i];
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = raw[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const close = findClosingBrace(raw, i + 2);
      if (close < 0) {
        out += raw.slice(i);
        break;
      }
      const body = raw.slice(i + 2, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
      if (!m) {
        out += raw.slice(i, close + 1);
        i = close + 1;
        continue;
      }
      const [, name, operator, operandRaw] = m;
      const ref = resolveRef(name, operator, operandRaw, vars, { start: i, end: close + 1 });
      refs.push(ref);
      out += ref.resolved ?? '';
      i = close + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(raw.slice(i + 1));
    if (m) {
      const ref = resolveRef(m[0], undefined, undefined, vars, { start: i, end: i + 1 + m[0].length });
      refs.push(ref);
      out += ref.resolved ?? '';
      i += 1 + m[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return { value: out, refs };
}

function findClosingBrace(s: string, from: number): number {
  let depth = 1;
  for (let j = from; j < s.length; j++) {
    if (s[j] === '{') depth++;
    else if (s[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

function resolveRef(
  name: string,
  operator: string | undefined,
  operandRaw: string | undefined,
  vars: Variables,
  range: { start: number; end: number },
): VariableRef {
  const has = Object.prototype.hasOwnProperty.call(vars, name);
  const value = has ? vars[name] : undefined;
  const operand = operandRaw === undefined ? undefined : interpolate(operandRaw, vars).value;
  const emptyCounts = operator?.startsWith(':') ?? false;
  const isSet = value !== undefined && (!emptyCounts || value !== '');
  let resolved: string | undefined = value;
  let unset = value === undefined;
  switch (operator?.replace(':', '')) {
    case '-':
      resolved = isSet ? value : operand;
      unset = false;
      break;
    case '+':
      resolved = isSet ? operand : '';
      unset = false;
      break;
    case '?':
      unset = !isSet;
      resolved = isSet ? value : undefined;
      break;
  }
  return { name, range, operator, operand, resolved, unset };
}
