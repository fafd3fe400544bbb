import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

const common = { useDefaults: true, allErrors: true, strict: false, validateSchema: false } as const;
let coercing: Ajv.default | undefined;
let strict: Ajv.default | undefined;

/**
 * A validator for a TypeBox schema that fills defaults in place (and, with coerce, turns strings
 * such as environment values into numbers and booleans) and lists what is wrong as
 * "path: message". Ajv is loaded for the HTTP routes anyway; TypeBox's own value module would
 * add a quarter of a second to every start.
 */
export function schemaChecker(schema: object, options: { coerce: boolean }): (value: unknown) => string[] {
  // Compiled on first use: a checker made at import time may never be needed (start time).
  let validate: ValidateFunction | undefined;
  return (value) => {
    validate ??= options.coerce
      ? (coercing ??= new Ajv.default({ ...common, coerceTypes: true })).compile(schema)
      : (strict ??= new Ajv.default(common)).compile(schema);
    return validate(value) ? [] : describe(validate.errors ?? []);
  };
}

/** One line per path; a choice among constants (a TypeBox union of literals) is named as such. */
function describe(errors: readonly ErrorObject[]): string[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e]);
  return [...byPath].map(([instancePath, group]) => {
    const where = instancePath.slice(1).replaceAll('/', '.') || '(root)';
    const choices = group.filter((e) => e.keyword === 'const').map((e) => String(e.params.allowedValue));
    const message = choices.length > 0 ? `must be one of ${choices.join(', ')}` : group.map((e) => e.message).join('; ');
    return `${where}: ${message}`;
  });
}
