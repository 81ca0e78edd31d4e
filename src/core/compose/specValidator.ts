import { Document, isMap, isScalar, isSeq, Node, Scalar } from 'yaml';
import type { Range } from './model';
import type { Spec } from './specTypes';
import { budgetOf } from './analysisLimits';
import { mapEntries, rangeOf, resolveAlias } from './yamlNodes';

export interface StructureProblem {
  kind: 'type' | 'unknown-key';
  path: string;
  range: Range;
  message: string;
}

type Shape = 'null' | 'string' | 'number' | 'boolean' | 'list' | 'mapping';

/**
 * Checks a YAML tree against a Spec. A node of the wrong type gets one problem and is
 * not descended into, so one mistake gives one message, never a flood.
 */
export function validateStructure(doc: Document, root: Node | null, spec: Spec, limit = 100): StructureProblem[] {
  const problems: StructureProblem[] = [];
  const budget = budgetOf(doc);
  const walk = (node: Node | null, s: Spec, path: string, at: Range): void => {
    if (problems.length >= limit) return;
    const n = resolveAlias(doc, node);
    // A node reached through aliases is walked once per alias: bounded by the document's budget.
    if (!budget.spend(1, n, 'Checking the structure of aliased nodes')) return;
    const range = rangeOf(n) ?? at;
    if (s.kind === 'oneOf') {
      let best: StructureProblem[] | undefined;
      for (const alt of s.of) {
        if (!shapeMatches(n, alt)) continue;
        const sub = validateStructure(doc, n, alt, limit - problems.length);
        if (!sub.length) return;
        if (!best || sub.length < best.length) best = sub;
      }
      if (best) problems.push(...best.map((p) => ({ ...p, path: p.path ? `${path}.${p.path}` : path })));
      else problems.push(typeProblem(path, range, describe(s), shapeOf(n)));
      return;
    }
    if (!shapeMatches(n, s)) {
      problems.push(typeProblem(path, range, describe(s), shapeOf(n)));
      return;
    }
    if (s.kind === 'string' && s.enum && isScalar(n) && !s.enum.includes(String(n.value))) {
      problems.push({ kind: 'type', path, range, message: `${label(path)} must be one of ${s.enum.join(', ')}` });
    }
    if (s.kind === 'array' && isSeq(n)) {
      n.items.forEach((item, i) => walk(item as Node, s.items, `${path}[${i}]`, range));
    } else if (s.kind === 'object') {
      for (const e of mapEntries(doc, n)) {
        const keyRange = rangeOf(e.keyNode) ?? range;
        const childPath = path ? `${path}.${e.key}` : e.key;
        const prop = s.properties && Object.prototype.hasOwnProperty.call(s.properties, e.key) ? s.properties[e.key] : undefined;
        if (prop) walk(e.value, prop, childPath, keyRange);
        else if (s.extensions && e.key.startsWith('x-')) continue;
        else if (s.additional) walk(e.value, s.additional, childPath, keyRange);
        else problems.push({ kind: 'unknown-key', path: childPath, range: keyRange, message: `${label(path)} has no key "${e.key}" in the compose specification` });
      }
    }
  };
  walk(root, spec, '', { start: 0, end: 0 });
  return problems.slice(0, limit);
}

function label(path: string): string {
  return path ? `"${path}"` : 'The top level';
}

function typeProblem(path: string, range: Range, expected: string, actual: Shape): StructureProblem {
  return { kind: 'type', path, range, message: `${label(path)} should be ${expected}, not ${article(actual)}` };
}

function article(shape: Shape): string {
  return shape === 'null' ? 'empty' : shape === 'list' || shape === 'mapping' || shape === 'string' || shape === 'number' || shape === 'boolean' ? `a ${shape}` : shape;
}

function shapeOf(n: Node | null): Shape {
  if (n === null || n === undefined) return 'null';
  if (isSeq(n)) return 'list';
  if (isMap(n)) return 'mapping';
  if (isScalar(n)) {
    const v = (n as Scalar).value;
    if (v === null) return 'null';
    if (typeof v === 'number' || typeof v === 'bigint') return 'number';
    if (typeof v === 'boolean') return 'boolean';
    return 'string';
  }
  return 'string';
}

const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off']);

function shapeMatches(n: Node | null, s: Spec): boolean {
  const shape = shapeOf(n);
  switch (s.kind) {
    case 'any':
      return true;
    case 'oneOf':
      return s.of.some((alt) => shapeMatches(n, alt));
    case 'null':
      return shape === 'null';
    case 'string':
      return shape === 'string' || shape === 'number';
    case 'scalar':
      return shape === 'string' || shape === 'number' || shape === 'boolean';
    case 'number':
    case 'integer':
      return shape === 'number';
    case 'boolean':
      return shape === 'boolean' || (shape === 'string' && BOOLEAN_WORDS.has(String((n as Scalar).value).toLowerCase()));
    case 'array':
      return shape === 'list';
    case 'object':
      return shape === 'mapping';
  }
}

function describe(s: Spec): string {
  switch (s.kind) {
    case 'oneOf':
      return [...new Set(s.of.map(describe))].join(' or ');
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping';
    case 'null':
      return 'empty';
    case 'scalar':
      return 'a string, number or boolean';
    case 'any':
      return 'anything';
    default:
      return `a ${s.kind}`;
  }
}

