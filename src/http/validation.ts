import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Bodies are validated strictly (a string is not a number, true is not 1);
 * query strings and params are text on the wire, so those coerce.
 */
export function createValidatorCompiler() {
  const options = { allErrors: false, removeAdditional: true, useDefaults: true, strict: false } as const;
  const strict = addFormats.default(new Ajv.default({ ...options, coerceTypes: false }));
  const coercing = addFormats.default(new Ajv.default({ ...options, coerceTypes: 'array' }));
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) => (httpPart === 'body' ? strict : coercing).compile(schema);
}
