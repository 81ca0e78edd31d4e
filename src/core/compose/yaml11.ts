import { isMap, isScalar, isSeq, Node, Scalar } from 'yaml';

/**
 * The type docker-compose 1.x sees for a YAML node. It reads files with PyYAML, a YAML 1.1
 * parser: a plain `yes`, `off` or `True` is a boolean there, `1:20` a (base 60) integer, `1e3`
 * a string (1.1 floats need a dot) and `2021-01-01` a date, while our parser reads YAML 1.2.
 * Checking types as docker-compose sees them is what makes "we accept" mean "it accepts".
 */
export type Yaml11Type = 'null' | 'string' | 'int' | 'float' | 'boolean' | 'timestamp' | 'list' | 'mapping';

// PyYAML's implicit resolvers (yaml/resolver.py), which apply to plain scalars only.
const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP = /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

const TAGS: Record<string, Yaml11Type> = {
  'tag:yaml.org,2002:str': 'string',
  'tag:yaml.org,2002:int': 'int',
  'tag:yaml.org,2002:float': 'float',
  'tag:yaml.org,2002:bool': 'boolean',
  'tag:yaml.org,2002:null': 'null',
  'tag:yaml.org,2002:timestamp': 'timestamp',
};

export function yaml11Type(node: Node | null | undefined): Yaml11Type {
  if (node === null || node === undefined) return 'null';
  if (isSeq(node)) return 'list';
  if (isMap(node)) return 'mapping';
  if (!isScalar(node)) return 'string';
  const s = node as Scalar;
  if (s.tag && TAGS[s.tag]) return TAGS[s.tag];
  if (s.type !== Scalar.PLAIN && s.type !== undefined) return 'string';
  const src = typeof s.source === 'string' ? s.source : s.value === null ? '' : String(s.value);
  return plainScalarType(src);
}

/** The type PyYAML resolves a plain (unquoted) scalar's text to. */
export function plainScalarType(src: string): Yaml11Type {
  if (BOOL.test(src)) return 'boolean';
  if (INT.test(src)) return 'int';
  if (FLOAT.test(src)) return 'float';
  if (NULL.test(src)) return 'null';
  if (TIMESTAMP.test(src)) return 'timestamp';
  return 'string';
}
