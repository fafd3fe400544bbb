/**
 * The master key files in the data directory: master.key (encrypts), master.key.next (written by
 * a rotation before its commit; decrypts) and master.key.previous (the key a rotation replaced;
 * decrypts what a replica not yet restarted wrote). All mode 0600; one readable by others, or
 * malformed, is refused.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decodeKey, encodeKey, KEY_FORMAT_HINT, type Keyring, makeKeyring, type MasterKey, MasterKeyError } from './master-key.js';

export const KEY_FILE = 'master.key';
export const NEXT_KEY_FILE = 'master.key.next';
export const PREVIOUS_KEY_FILE = 'master.key.previous';

export function keyFilePath(dataDir: string, name = KEY_FILE): string {
  return path.join(dataDir, name);
}

/** The key in file, or undefined when there is none. */
export function readKeyFile(file: string): MasterKey | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MasterKeyError(`cannot read the master key file ${file}: ${(error as Error).message}`);
  }
  if (!stat.isFile()) throw new MasterKeyError(`the master key file ${file} is not a regular file`);
  // Windows has no such mode bits to check.
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw new MasterKeyError(
      `the master key file ${file} is accessible to others (mode ${(stat.mode & 0o777).toString(8)}): run chmod 600 ${file}`,
    );
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new MasterKeyError(`cannot read the master key file ${file}: ${(error as Error).message}`);
  }
  const key = decodeKey(text);
  if (!key) throw new MasterKeyError(`the master key file ${file} is malformed: it must hold ${KEY_FORMAT_HINT}`);
  return key;
}

function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not every platform can sync a directory; the rename itself is still atomic.
  }
}

/** Writes the key to file (mode 0600) through a temporary file renamed into place; exclusive: refuses to replace one. */
export function writeKeyFile(file: string, key: MasterKey, options: { replace?: boolean } = {}): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const temporary = path.join(dir, `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(temporary, 'wx', 0o600);
  try {
    fs.writeSync(fd, `${encodeKey(key.key)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    if (options.replace) fs.renameSync(temporary, file);
    else fs.linkSync(temporary, file); // fails if another process created the file first
  } finally {
    if (!options.replace) fs.rmSync(temporary, { force: true });
  }
  syncDir(dir);
}

/** The keyring of the data directory's key files, or undefined when there is no master.key. */
export function readKeyring(dataDir: string): Keyring | undefined {
  const main = readKeyFile(keyFilePath(dataDir));
  if (!main) return undefined;
  const others = [NEXT_KEY_FILE, PREVIOUS_KEY_FILE].map((name) => readKeyFile(keyFilePath(dataDir, name)));
  return makeKeyring([main, ...others.filter((k): k is MasterKey => k !== undefined)], keyFilePath(dataDir));
}

/** A new key in master.key; when another process (a replica sharing the directory) made one first, that one. */
export function createKeyFile(dataDir: string, key: MasterKey): Keyring {
  try {
    writeKeyFile(keyFilePath(dataDir), key);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new MasterKeyError(`cannot write the master key file ${keyFilePath(dataDir)}: ${(error as Error).message}`);
    }
  }
  return readKeyring(dataDir)!;
}

/** MAWS_MASTER_KEY's keys, which the configuration checked. */
export function settingKeys(texts: readonly string[] | undefined): MasterKey[] | undefined {
  return texts?.map((text) => {
    const key = decodeKey(text);
    if (!key) throw new MasterKeyError(`MAWS_MASTER_KEY is not ${KEY_FORMAT_HINT}`);
    return key;
  });
}
