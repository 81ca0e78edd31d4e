import type { Spec } from './specTypes';

/** Turns a Spec into JSON Schema (draft-07), for Red Hat YAML's yamlValidation. */
export function toJsonSchema(spec: Spec): Record<string, unknown> {
  const withDescription = (schema: Record<string, unknown>) => (spec.description ? { description: spec.description, ...schema } : schema);
  switch (spec.kind) {
    case 'any':
      return withDescription({});
    case 'null':
      return { type: 'null' };
    case 'string':
      return withDescription(spec.enum ? { type: 'string', enum: spec.enum } : { type: ['string', 'number'] });
    case 'scalar':
      return withDescription({ type: ['string', 'number', 'boolean'] });
    case 'number':
      return withDescription({ type: 'number' });
    case 'integer':
      return withDescription({ type: 'integer' });
    case 'boolean':
      return withDescription({ type: 'boolean' });
    case 'array':
      return withDescription(spec.unique ? { type: 'array', items: toJsonSchema(spec.items), uniqueItems: true } : { type: 'array', items: toJsonSchema(spec.items) });
    case 'oneOf':
      return withDescription({ anyOf: spec.of.map(toJsonSchema) });
    case 'object': {
      const properties = Object.fromEntries(Object.entries(spec.properties ?? {}).map(([k, v]) => [k, toJsonSchema(v)]));
      const schema: Record<string, unknown> = { type: 'object' };
      if (Object.keys(properties).length) schema.properties = properties;
      if (spec.extensions) schema.patternProperties = { '^x-': {} };
      schema.additionalProperties = spec.additional === false || spec.additional === undefined ? false : toJsonSchema(spec.additional);
      return withDescription(schema);
    }
  }
}

export function kafkaWritersJsonSchema(spec: Spec): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/lsst-ts/efd-salkafka-vscode/schemas/kafka-writers.schema.json',
    title: 'kafka_writers docker-compose file',
    ...toJsonSchema(spec),
  };
}
