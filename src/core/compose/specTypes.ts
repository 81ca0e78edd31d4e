/**
 * A small structural type language for the compose file. One definition drives both
 * our validator (fast, one message per wrong node) and the JSON schema shipped for
 * Red Hat YAML users, so the two cannot drift apart.
 */
export type Spec =
  | { kind: 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'any'; description?: string; enum?: string[] }
  /** A string, number or boolean: what YAML users write for most compose values. */
  | { kind: 'scalar'; description?: string }
  | { kind: 'array'; items: Spec; description?: string }
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
export const scalar = (description?: string): Spec => ({ kind: 'scalar', description });
export const bool = (description?: string): Spec => ({ kind: 'boolean', description });
export const any = (description?: string): Spec => ({ kind: 'any', description });
export const arr = (items: Spec, description?: string): Spec => ({ kind: 'array', items, description });
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
