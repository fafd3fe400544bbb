import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// Server-side check of Huawei Cloud "SDK-HMAC-SHA256" request signatures
// (see /work/shared/aksk-signing.md). Pure functions: no I/O, no key lookup.

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';

export interface ReceivedRequest {
  method: string;
  /** raw request-target exactly as received, e.g. '/v1/p/workspaces?limit=10' */
  url: string;
  /** Node IncomingHttpHeaders (names lower-case) */
  headers: Record<string, string | string[] | undefined>;
  /** raw body bytes; empty Buffer when none */
  body: Buffer;
}

interface ParsedAuthorization {
  accessKey: string;
  signedHeaders: string[];
  signature: string;
}

type SignatureCheck =
  | { ok: true; auth: ParsedAuthorization; sdkDate: string }
  | { ok: false; reason: string };

/** null when the value is not a well-formed SDK-HMAC-SHA256 Authorization header */
export function parseAuthorization(value: string): ParsedAuthorization | null {
  const m = /^(\S+)\s+(.*)$/s.exec(value.trim());
  if (!m || m[1] !== SIGNING_ALGORITHM) return null;
  const parts = new Map<string, string>();
  for (const piece of (m[2] ?? '').split(',')) {
    const eq = piece.indexOf('=');
    if (eq < 0) return null;
    const name = piece.slice(0, eq).trim();
    // a duplicated or unknown part makes the header ambiguous
    if (parts.has(name) || !['Access', 'SignedHeaders', 'Signature'].includes(name)) return null;
    parts.set(name, piece.slice(eq + 1).trim());
  }
  const accessKey = parts.get('Access');
  const signedHeaders = parts.get('SignedHeaders')?.split(';');
  const signature = parts.get('Signature');
  if (!accessKey || !signedHeaders || !signature) return null;
  if (signedHeaders.some((h) => h === '') || !/^[0-9a-fA-F]{64}$/.test(signature)) return null;
  return { accessKey, signedHeaders, signature: signature.toLowerCase() };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** RFC 3986 unreserved-only percent-encoding of the UTF-8 bytes (upper-case hex) */
export function encodeRfc3986(s: string): string {
  // Lone surrogates would make encodeURIComponent throw; the wire cannot carry them anyway.
  // encodeURIComponent leaves !'()* raw, whereas the SDK signer encodes them.
  return encodeURIComponent(s.replace(LONE_SURROGATE, '\uFFFD')).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/** From the raw (still percent-encoded) path: the SDK encodes its already-encoded path again. */
export function canonicalUri(rawPath: string): string {
  const uri = rawPath.split('/').map(encodeRfc3986).join('/');
  return uri.endsWith('/') ? uri : uri + '/';
}

function decodeQueryPart(s: string): string {
  try {
    // The SDK never sends '+' for a space (it sends %2B for '+'); form-encoding clients may.
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s; // a malformed escape is left as sent rather than rejected here
  }
}

/** The SDK signs its parameter map, so rebuild that map from the wire query, then canonicalise it. */
export function canonicalQuery(rawQuery: string): string {
  const byKey = new Map<string, string[]>();
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = decodeQueryPart(eq < 0 ? piece : piece.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryPart(piece.slice(eq + 1));
    const values = byKey.get(key);
    if (values) values.push(value);
    else byKey.set(key, [value]);
  }
  const pairs: string[] = [];
  for (const key of [...byKey.keys()].sort()) {
    const k = encodeRfc3986(key);
    for (const v of (byKey.get(key) ?? []).sort()) pairs.push(`${k}=${encodeRfc3986(v)}`);
  }
  return pairs.join('&');
}

function headerValue(headers: ReceivedRequest['headers'], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function splitTarget(url: string): { path: string; query: string } {
  // absolute-form request-targets (proxies) carry scheme and authority; the SDK signs only the path
  const target = url.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?]*/, '');
  const q = target.indexOf('?');
  return q < 0 ? { path: target, query: '' } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

// What Node's legacy url.parse() escapes in a path: the Node SDK signs its URL after that step.
const URL_PARSE_ESCAPES = /[\t\n\v\f\r "'<>\\^`{|}]/g;

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The wire path the SDK signed, when it differs from the received one: the SDK puts workspace ids
 * into the URL unencoded and signs url.parse()'s view of them, while the HTTP client sends them
 * percent-encoded. Both spellings name the same resource, since the router decodes paths.
 */
function pathAsSdkSigned(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => decodeSegment(segment).replace(URL_PARSE_ESCAPES, (c) => encodeURIComponent(c).replace("'", '%27')))
    .join('/');
}

export function canonicalRequest(req: ReceivedRequest, signedHeaders: readonly string[], pathOverride?: string): string {
  const target = splitTarget(req.url);
  const path = pathOverride ?? target.path;
  const query = target.query;
  const headerBlock = signedHeaders
    .map((name) => `${name.toLowerCase()}:${headerValue(req.headers, name) ?? ''}\n`)
    .join('');
  // X-Sdk-Content-Sha256 (the SDK's UNSIGNED-PAYLOAD for non-JSON bodies) replaces the body hash
  const payloadHash = headerValue(req.headers, 'x-sdk-content-sha256') ?? sha256Hex(req.body);
  return [
    req.method.toUpperCase(),
    canonicalUri(path === '' ? '/' : path),
    canonicalQuery(query),
    headerBlock,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

export function stringToSign(sdkDate: string, canonicalRequestText: string): string {
  return `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequestText)}`;
}

/** The SK is the HMAC key directly: no date/region key derivation as in AWS SigV4. */
export function hmacHex(secretKey: string, data: string): string {
  return createHmac('sha256', secretKey).update(data).digest('hex');
}

/** epoch ms of an X-Sdk-Date value 'YYYYMMDDTHHMMSSZ', or null when malformed / not a real date */
export function parseSdkDate(value: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const t = new Date(ms);
  // Date.UTC silently rolls over (Feb 30 → Mar 2); reject anything that did
  const real =
    t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d &&
    t.getUTCHours() === h && t.getUTCMinutes() === mi && t.getUTCSeconds() === s;
  return real ? ms : null;
}

export function formatSdkDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}/, '').replace(/[-:]/g, '');
}

/**
 * Everything that can be checked before the secret key is known. 'host' is not required in
 * SignedHeaders: the Go SDK may omit it; only x-sdk-date is mandatory.
 */
export function precheckSignedRequest(req: ReceivedRequest, nowMs: number, skewMs: number): SignatureCheck {
  const header = headerValue(req.headers, 'authorization');
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'Authorization header not found' };
  const auth = parseAuthorization(header);
  if (!auth) {
    const algorithm = header.trim().split(/\s/, 1)[0];
    return algorithm === SIGNING_ALGORITHM
      ? { ok: false, reason: 'malformed Authorization header' }
      : { ok: false, reason: `unsupported signing algorithm: ${algorithm}` };
  }
  const signed = auth.signedHeaders.map((h) => h.toLowerCase());
  if (!signed.includes('x-sdk-date')) return { ok: false, reason: 'x-sdk-date is not in SignedHeaders' };
  const missing = signed.find((h) => headerValue(req.headers, h) === undefined);
  if (missing !== undefined) return { ok: false, reason: `signed header not found: ${missing}` };
  // A declared payload hash (UNSIGNED-PAYLOAD included) would leave a JSON body unauthenticated.
  const declared = headerValue(req.headers, 'x-sdk-content-sha256');
  if (declared !== undefined && req.body.length > 0 && declared.toLowerCase() !== sha256Hex(req.body)) {
    return { ok: false, reason: 'x-sdk-content-sha256 does not match the request body' };
  }
  const sdkDate = headerValue(req.headers, 'x-sdk-date') ?? '';
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === null) return { ok: false, reason: `invalid X-Sdk-Date: ${sdkDate}` };
  if (Math.abs(nowMs - signedAt) > skewMs) {
    return {
      ok: false,
      reason: `signature expired, signature time: ${sdkDate}, server time: ${formatSdkDate(nowMs)}`,
    };
  }
  return { ok: true, auth, sdkDate };
}

function expectedSignature(
  secretKey: string,
  req: ReceivedRequest,
  auth: ParsedAuthorization,
  sdkDate: string,
  path?: string,
): string {
  return hmacHex(secretKey, stringToSign(sdkDate, canonicalRequest(req, auth.signedHeaders, path)));
}

/** Recompute the signature (for the received path, then for the path as the Node SDK signs it) and compare in constant time */
export function signatureMatches(secretKey: string, req: ReceivedRequest, auth: ParsedAuthorization, sdkDate: string): boolean {
  const given = Buffer.from(auth.signature.toLowerCase(), 'utf8');
  const received = splitTarget(req.url).path;
  const paths = new Set([received, pathAsSdkSigned(received)]);
  let matched = false;
  for (const path of paths) {
    const expected = Buffer.from(expectedSignature(secretKey, req, auth, sdkDate, path), 'utf8');
    matched = (expected.length === given.length && timingSafeEqual(expected, given)) || matched;
  }
  return matched;
}
