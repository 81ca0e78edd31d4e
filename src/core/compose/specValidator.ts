import { Document, isScalar, isSeq, Node, Scalar } from 'yaml';
import type { Range } from './model';
import type { Spec } from './specTypes';
import { budgetOf } from './analysisLimits';
import { yaml11Type } from './yaml11';
import { lastOfEach, mapEntries, rangeOf, resolveAlias } from './yamlNodes';

export interface StructureProblem {
  kind: 'type' | 'unknown-key';
  path: string;
  range: Range;
  message: string;
}

type Shape = 'null' | 'string' | 'number' | 'boolean' | 'list' | 'mapping' | 'date';

/**
 * Checks a YAML tree against a Spec. A node of the wrong type gets one problem and is
 * not descended into, so one mistake gives one message, never a flood.
 */
export function validateStructure(doc: Document, root: Node | null, spec: Spec, limit = 100, basePath = ''): StructureProblem[] {
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
        // The alternative is checked from this node's own path, so its messages name the whole path.
        const sub = validateStructure(doc, n, alt, limit - problems.length, path);
        if (!sub.length) return;
        if (!best || sub.length < best.length) best = sub;
      }
      if (best) problems.push(...best);
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
      if (s.unique) {
        const seen = new Set<string>();
        for (const raw of n.items) {
          const item = resolveAlias(doc, raw);
          if (!isScalar(item)) continue;
          const key = `${shapeOf(item)}\u0000${String((item as Scalar).value)}`;
          if (seen.has(key)) {
            problems.push({
              kind: 'type',
              path,
              range: rangeOf(item) ?? range,
              message: `${label(path)} contains ${JSON.stringify(String((item as Scalar).value))} twice; docker-compose refuses duplicate items in this list`,
            });
          }
          seen.add(key);
        }
      }
    } else if (s.kind === 'object') {
      for (const e of lastOfEach(mapEntries(doc, n))) {
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
  walk(root, spec, basePath, { start: 0, end: 0 });
  return problems.slice(0, limit);
}

function label(path: string): string {
  return path ? `"${path}"` : 'The top level';
}

function typeProblem(path: string, range: Range, expected: string, actual: Shape): StructureProblem {
  return { kind: 'type', path, range, message: `${label(path)} should be ${expected}, not ${article(actual)}` };
}

function article(shape: Shape): string {
  return shape === 'null' ? 'empty' : `a ${shape}`;
}

/** The node's type as docker-compose (PyYAML, YAML 1.1) reads it. */
function shapeOf(n: Node | null): Shape {
  switch (yaml11Type(n)) {
    case 'null':
      return 'null';
    case 'int':
    case 'float':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'timestamp':
      return 'date';
    case 'list':
      return 'list';
    case 'mapping':
      return 'mapping';
    default:
      return 'string';
  }
}

/** Strings docker-compose converts to a boolean for the keys it converts (interpolation.py to_boolean). */
const BOOLEAN_WORDS = new Set(['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off']);

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
      return shape === 'string';
    case 'scalar':
      return shape === 'string' || shape === 'number' || shape === 'boolean';
    case 'number':
      return shape === 'number';
    case 'integer':
      return shape === 'number' && yaml11Type(n) === 'int';
    case 'boolean':
      return shape === 'boolean' || (!!s.fromString && shape === 'string' && BOOLEAN_WORDS.has(String((n as Scalar).value).toLowerCase()));
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
    case 'integer':
      return 'an integer';
    default:
      return `a ${s.kind}`;
  }
}

