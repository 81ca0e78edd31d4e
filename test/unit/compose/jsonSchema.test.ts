import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { composeFileSpec } from '../../../src/core/compose/composeSpec';
import { kafkaWritersJsonSchema } from '../../../src/core/compose/jsonSchema';

describe('contributed JSON schema', () => {
  const schemaPath = join(__dirname, '..', '..', '..', '..', 'schemas', 'kafka-writers.schema.json');

  it('schemas/kafka-writers.schema.json is generated from the validator spec (run npm run build)', () => {
    assert.deepEqual(JSON.parse(readFileSync(schemaPath, 'utf8')), kafkaWritersJsonSchema(composeFileSpec));
  });

  it('is contributed through yamlValidation for kafka_writers files', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8'));
    const entry = pkg.contributes.yamlValidation[0];
    assert.equal(entry.url, './schemas/kafka-writers.schema.json');
    assert.ok(entry.fileMatch.includes('**/kafka_writers/*.yaml'));
  });

  it('service keys are closed (unknown keys rejected) but x- extensions are allowed', () => {
    const schema = kafkaWritersJsonSchema(composeFileSpec) as any;
    const service = schema.properties.services.additionalProperties;
    assert.equal(service.additionalProperties, false);
    assert.deepEqual(service.patternProperties, { '^x-': {} });
    assert.ok(service.properties.environment.anyOf.length === 2);
  });
});
