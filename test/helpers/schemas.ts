import { readFileSync, readdirSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

const dir = new URL('../fixtures/open311-schemas/', import.meta.url);
const ajv = new Ajv({ strict: false, allErrors: true });
(addFormatsModule as unknown as (a: Ajv) => void)(ajv);
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  ajv.addSchema(JSON.parse(readFileSync(new URL(file, dir), 'utf8')), file);
}

/** Validates `data` against one of the Open311 project's schemas; returns the errors as text ('' if valid). */
export function schemaErrors(schema: 'services.json' | 'service-definition.json' | 'requests.json' | 'request.json', data: unknown): string {
  const validate = ajv.getSchema(schema)!;
  return validate(data) ? '' : ajv.errorsText(validate.errors);
}
