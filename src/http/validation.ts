import Ajv from 'ajv';
import type { FastifyInstance } from 'fastify';
import { validatorOnFirstUse } from './first-use.js';

/** Queries and params are strings on the wire and may be coerced; JSON bodies must already have the right types. */
export function installValidators(app: FastifyInstance): void {
  // verbose: errors carry their schema, whose description makes a readable message. The schemas
  // are ours and fixed, so checking them against the meta-schema at every start is wasted time.
  const common = {
    useDefaults: true,
    removeAdditional: true,
    allErrors: false,
    strict: false,
    verbose: true,
    validateSchema: false,
  } as const;
  const bodyAjv = new Ajv.default({ ...common, coerceTypes: false });
  const textAjv = new Ajv.default({ ...common, coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) => validatorOnFirstUse(() => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema)));
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
  parentSchema?: { description?: string };
}

/** "body.name: 4–64 characters: …" rather than a raw regular expression. */
export function formatSchemaErrors(errors: readonly SchemaError[], dataVar: string): Error {
  const e = errors[0];
  if (!e) return new Error(`invalid ${dataVar}`);
  const at = `${dataVar}${e.instancePath.replaceAll('/', '.')}`;
  if (e.keyword === 'required') return new Error(`${at}.${String(e.params.missingProperty)} is required`);
  const description = e.keyword === 'pattern' ? e.parentSchema?.description : undefined;
  return new Error(`${at}: ${description ?? e.message ?? 'is invalid'}`);
}
