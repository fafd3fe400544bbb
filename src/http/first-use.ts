import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyInstance } from 'fastify';
import type { FastifyValidationResult } from 'fastify/types/schema.js';

/**
 * A route's validator, compiled when a request first needs it. Compiling every route's schemas
 * (validators and serializers) took a quarter of the server's start. Fastify reads `errors` off
 * the function it was given.
 */
export function validatorOnFirstUse(compile: () => FastifyValidationResult): FastifyValidationResult {
  let compiled: FastifyValidationResult | undefined;
  const validate: FastifyValidationResult = (data) => {
    compiled ??= compile();
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  };
  return validate;
}

/** Fastify's own response serializers (fast-json-stringify), each compiled when an answer first needs it. */
export function installSerializersOnFirstUse(app: FastifyInstance): void {
  const compile = SerializerSelector()();
  app.setSerializerCompiler((route) => {
    let serialize: ((data: unknown) => string) | undefined;
    return (data) => (serialize ??= compile({ ...route, httpStatus: route.httpStatus ?? '' }))(data);
  });
}
