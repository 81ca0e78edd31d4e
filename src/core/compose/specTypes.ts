/**
 * A small structural type language for the compose file. One definition drives both
 * our validator (fast, one message per wrong node) and the JSON schema shipped for
 * Red Hat YAML users, so the two cannot drift apart.
 *
 * Types are those docker-compose checks after reading the file with PyYAML (YAML 1.1, see
 * yaml11.ts): `string` is a string only (a number is refused where compose wants a string).
 */
export type Spec =
  | { kind: 'string' | 'number' | 'integer' | 'null' | 'any'; description?: string; enum?: string[] }
  /**
   * A YAML boolean; with `fromString`, also a string y/yes/n/no/true/false/on/off in any case
   * (docker-compose converts those strings for tty, stdin_open, privileged, read_only…).
   */
  | { kind: 'boolean'; description?: string; fromString?: boolean }
  /** A string, number or boolean: what YAML users write for most compose values. */
  | { kind: 'scalar'; description?: string }
  /** `unique`: the same scalar twice is refused (compose's uniqueItems). */
  | { kind: 'array'; items: Spec; description?: string; unique?: boolean }
  | {
      kind: 'object';
      properties?: Record<string, Spec>;
      /** Spec of keys not listed, or false when unknown keys are errors. */
      additional?: Spec | false;
      /** Allow `x-…` extension keys (compose convention). */
      extensions?: boolean;
      description?: string;
    }
  | { kind: 'oneOf'; of: Spec[]; description?: string };

export const str = (description?: string): Spec => ({ kind: 'string', description });
export const num = (description?: string): Spec => ({ kind: 'number', description });
export const int = (description?: string): Spec => ({ kind: 'integer', description });
export const scalar = (description?: string): Spec => ({ kind: 'scalar', description });
export const bool = (description?: string, opts: { fromString?: boolean } = {}): Spec => ({ kind: 'boolean', description, ...opts });
export const any = (description?: string): Spec => ({ kind: 'any', description });
export const arr = (items: Spec, description?: string, opts: { unique?: boolean } = {}): Spec => ({ kind: 'array', items, description, ...opts });
export const oneOf = (...of: Spec[]): Spec => ({ kind: 'oneOf', of });
export const nul: Spec = { kind: 'null' };
export const obj = (properties: Record<string, Spec>, opts: { additional?: Spec | false; extensions?: boolean; description?: string } = {}): Spec => ({
  kind: 'object',
  properties,
  additional: opts.additional ?? false,
  extensions: opts.extensions ?? false,
  description: opts.description,
});
export const mapOf = (values: Spec, description?: string): Spec => ({ kind: 'object', properties: {}, additional: values, description });
