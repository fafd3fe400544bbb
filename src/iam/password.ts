import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_LENGTH, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** The scrypt work of one hash: what a login costs, whoever tries it. */
interface ScryptCost {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

const verificationObservers = new Set<(cost: ScryptCost) => void>();

/** Calls observer with the cost of every verification until the returned function is called. */
export function observePasswordVerifications(observer: (cost: ScryptCost) => void): () => void {
  verificationObservers.add(observer);
  return () => verificationObservers.delete(observer);
}

function parseHash(stored: string | null | undefined): { cost: ScryptCost; salt: Buffer; hash: Buffer } | undefined {
  const parts = stored?.split('$');
  if (!parts || parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  if (expected.length === 0) return undefined;
  return { cost: { N: Number(n), r: Number(r), p: Number(p), keyLength: expected.length }, salt: Buffer.from(salt, 'base64'), hash: expected };
}

// A hash of no password, with the parameters of hashPassword: a login that finds no usable hash
// checks against it, so that an unknown user costs as much as a wrong password (login timing must
// not tell which user names exist). Random bytes, not hashed: no scrypt at start, nothing matches it.
const NO_PASSWORD = parseHash(
  `scrypt$${N}$${R}$${P}$${randomBytes(16).toString('base64')}$${randomBytes(KEY_LENGTH).toString('base64')}`,
)!;

/**
 * Whether password matches the stored hash. Always does the work of one verification: without a
 * usable hash (no user, no password set) it checks against NO_PASSWORD and answers false.
 */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const own = parseHash(stored);
  const { cost, salt, hash } = own ?? NO_PASSWORD;
  for (const observe of verificationObservers) observe(cost);
  const actual = await scryptAsync(password, salt, cost.keyLength, { N: cost.N, r: cost.r, p: cost.p });
  return timingSafeEqual(actual, hash) && own !== undefined;
}

/** IAM's rule: 8–32 characters with at least two kinds of character. */
export function passwordProblem(password: string): string | null {
  if (password.length < 8 || password.length > 32) return 'password must be 8 to 32 characters long';
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  return kinds < 2 ? 'password must contain at least two of: lower-case, upper-case, digits, special characters' : null;
}
