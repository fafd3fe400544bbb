// Arbitrary HTTP requests built from the server's own OpenAPI document, so that a new route is
// fuzzed as soon as it is documented. Requests go out through node:http, which sends the path as
// written: fetch would resolve `..` segments and re-encode what the fuzzer chose.
import http from 'node:http';
import fc from 'fast-check';

type Schema = Record<string, any>;

interface Operation {
  method: string;
  /** OpenAPI template, e.g. /v1/{project_id}/workspaces */
  path: string;
  queryNames: string[];
  bodySchema?: Schema;
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface FuzzResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND'];

export function operationsOf(doc: { paths: Record<string, Record<string, Schema>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      queryNames: (op.parameters ?? []).filter((p: Schema) => p.in === 'query').map((p: Schema) => p.name as string),
      bodySchema: op.requestBody?.content?.['application/json']?.schema,
    })),
  );
}

const nastyText = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '..',
  '../../etc/passwd',
  "' OR 1=1 --",
  '"; DROP TABLE x; --',
  '%',
  '\\',
  '\u202e\u0301\ufeff',
  '😀'.repeat(40),
  '\ud800',
  '0',
  '-1',
  '1e309',
  '99999999999999999999',
  'null',
  'true',
);
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), nastyText);
/** Only in bodies: in a URL it would pass the header size limit, which Node answers before the app. */
const bodyText = fc.oneof({ weight: 20, arbitrary: text }, { weight: 1, arbitrary: fc.constant('x'.repeat(70_000)) });
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER + 2));
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** Values shaped by the schema most of the time, so that requests get past the first validation. */
function fromSchema(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return anyJson;
  let shaped: fc.Arbitrary<unknown> | undefined;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) shaped = fc.oneof(...variants.map((s: Schema) => fromSchema(s, depth + 1)));
  else if (schema.enum) shaped = fc.constantFrom(...schema.enum);
  else if (schema.type === 'object' || schema.properties) {
    const props = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, fromSchema(s as Schema, depth + 1)]));
    shaped = fc.record(props, { requiredKeys: [] });
  } else if (schema.type === 'array') shaped = fc.array(fromSchema(schema.items, depth + 1), { maxLength: 4 });
  else if (schema.type === 'string') shaped = bodyText;
  else if (schema.type === 'integer' || schema.type === 'number') shaped = number;
  else if (schema.type === 'boolean') shaped = fc.boolean();
  return shaped ? fc.oneof({ weight: 5, arbitrary: shaped }, { weight: 1, arbitrary: anyJson }) : anyJson;
}

/** Deep nesting that stays far below the body limit. */
const deepJson = fc
  .tuple(fc.integer({ min: 10, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)));

const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json;charset=UTF-8',
  'application/merge-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  '',
);

function bodyOf(op: Operation): fc.Arbitrary<{ bytes?: Buffer; type?: string }> {
  const json = (value: fc.Arbitrary<unknown>) => value.map((v) => Buffer.from(JSON.stringify(v) ?? 'null'));
  return fc.oneof(
    fc.constant({}),
    fc.record({ bytes: json(fromSchema(op.bodySchema)), type: fc.constant('application/json') }),
    fc.record({ bytes: json(anyJson), type: contentType }),
    fc.record({ bytes: deepJson.map((s) => Buffer.from(s)), type: fc.constant('application/json') }),
    fc.record({ bytes: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), type: contentType }),
  );
}

/** Percent-encoded junk, kept as typed: %zz, overlong UTF-8, encoded slashes and dots. */
const rawJunk = fc
  .array(fc.constantFrom('%', '%00', '%zz', '%2F', '%2e%2e', '%ff', '%c0%af', '%E2%80%AE', '..', '.', '%25', ';', '~', 'a', '%20', '%0d%0a'), {
    minLength: 1,
    maxLength: 8,
  })
  .map((parts) => parts.join(''));

const segmentJunk = fc.oneof(
  text.map(encodeSafely),
  rawJunk,
  fc.constantFrom('..', '.', '', '0', 'ccd05d1a553b4e188ea878e7dcb85e47'),
  fc.integer({ min: 65, max: 6000 }).map((n) => 'a'.repeat(n)),
);

function encodeSafely(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // lone surrogates
    return value.replace(/[^\x21-\x7e]/g, '%ff');
  }
}

function pathOf(op: Operation, known: Record<string, string[]>): fc.Arbitrary<string> {
  const parts = op.path.split(/(\{[^}]+\})/);
  return fc.tuple(
    ...parts.map((part) => {
      const name = /^\{(.+)\}$/.exec(part)?.[1];
      if (!name) return fc.constant(part);
      const real = known[name] ?? [];
      return real.length > 0 ? fc.oneof(fc.constantFrom(...real), segmentJunk) : segmentJunk;
    }),
  ).map((filled) => filled.join(''));
}

function queryOf(op: Operation): fc.Arbitrary<string> {
  const key = fc.oneof(
    ...(op.queryNames.length > 0 ? [fc.constantFrom(...op.queryNames)] : []),
    fc.constantFrom('name', 'limit', 'offset', 'id', 'name[]', 'a[b]', '__proto__', 'constructor'),
    text.map(encodeSafely),
  );
  const value = fc.oneof(text.map(encodeSafely), rawJunk, fc.constantFrom('', '0', '-1', '1.5', '1e400', 'true'));
  const pair = fc.oneof(fc.tuple(key, value).map(([k, v]) => `${k}=${v}`), key);
  return fc.array(pair, { maxLength: 6 }).map((pairs) => (pairs.length ? `?${pairs.join('&')}` : ''));
}

interface Credentials {
  rootToken: string;
}

const credentialHeaders = (creds: Credentials) =>
  fc.oneof(
    fc.constant<Record<string, string>>({}),
    // Mostly the root's token, so that most requests get past authentication.
    { weight: 6, arbitrary: fc.constant({ 'x-auth-token': creds.rootToken }) },
    fc.constant({ 'x-auth-token': creds.rootToken, 'x-project-id': 'junk' }),
    text.map((t) => ({ 'x-auth-token': encodeSafely(t) })),
    text.map((t) => ({ authorization: `SDK-HMAC-SHA256 Access=${encodeSafely(t)}, SignedHeaders=host, Signature=00`, 'x-sdk-date': '20260101T000000Z' })),
  );

export function requestsFor(ops: Operation[], known: Record<string, string[]>, creds: Credentials): fc.Arbitrary<FuzzRequest> {
  return fc
    .constantFrom(...ops)
    .chain((op) =>
      fc.record({
        method: fc.oneof({ weight: 4, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
        path: pathOf(op, known),
        query: queryOf(op),
        body: bodyOf(op),
        credentials: credentialHeaders(creds),
      }),
    )
    .map(({ method, path, query, body, credentials }) => ({
      method,
      path: path + query,
      headers: { ...credentials, ...(body.type ? { 'content-type': body.type } : {}) },
      body: body.bytes,
    }));
}

export function send(baseUrl: string, req: FuzzRequest): Promise<FuzzResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    // A connection per request: one left unread by an early answer must not be reused by the next request.
    // Framed explicitly: on GET, DELETE and OPTIONS Node would send the bytes with neither length nor chunking.
    const headers = req.body ? { ...req.headers, 'content-length': String(req.body.length) } : req.headers;
    const outgoing = http.request({ hostname, port, method: req.method, path: req.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/** For the failure message: enough to replay the request by hand. */
export function describeRequest(req: FuzzRequest): string {
  const body = req.body ? ` body(${req.body.length} bytes)=${JSON.stringify(req.body.toString('utf8').slice(0, 300))}` : '';
  return `${req.method} ${req.path.slice(0, 500)} headers=${JSON.stringify(req.headers)}${body}`;
}
