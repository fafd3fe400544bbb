/**
 * `maws admin rotate-master-key`: every stored secret key re-encrypted under a new master key in
 * one transaction, then the new key installed. With key files the new key is written first, as
 * master.key.next, which servers accept beside master.key: a crash at any point leaves every
 * secret readable, and running the command again finishes the rotation. Under MAWS_MASTER_KEY the
 * new key is printed before the commit, for the operator to install.
 */
import fs from 'node:fs';
import { sql } from 'kysely';
import type { Database } from '../config.js';
import { connectDb } from '../db/connect.js';
import { checkSchema } from '../transfer/export.js';
import { KEY_FILE, keyFilePath, NEXT_KEY_FILE, PREVIOUS_KEY_FILE, readKeyFile, readKeyring, writeKeyFile } from './key-file.js';
import { encodeKey, generateKey, type Keyring, makeKeyring, type MasterKey, MasterKeyError } from './master-key.js';
import { checkKeyring, resealSecrets } from './stored-secrets.js';

interface RotateOptions {
  database: Database;
  dataDir: string;
  /** MAWS_MASTER_KEY's keys, when set: the key files are then not used */
  settingKeys?: readonly MasterKey[];
  /** the new key; generated when undefined */
  newKey?: MasterKey;
  /** one line for the operator */
  say(line: string): void;
  onProgress?(rows: number): void;
}

interface RotateResult {
  rows: number;
  from: string;
  to: string;
}

/** The keys the stored secrets are under now (a pending master.key.next included). */
function currentRing(options: RotateOptions): Keyring {
  if (options.settingKeys) return makeKeyring(options.settingKeys, 'MAWS_MASTER_KEY');
  const ring = readKeyring(options.dataDir);
  if (!ring) throw new MasterKeyError(`there is no master key file at ${keyFilePath(options.dataDir)} and MAWS_MASTER_KEY is not set: nothing to rotate`);
  return ring;
}

/** The key to rotate to: the pending one of an interrupted rotation, else a new one, made known before the commit. */
function nextKey(options: RotateOptions, ring: Keyring): MasterKey {
  if (options.newKey?.fingerprint === ring.primary.fingerprint) throw new MasterKeyError(`the new key is the current one (${ring.primary.fingerprint})`);
  if (options.settingKeys) {
    const key = options.newKey ?? generateKey();
    options.say(`new master key ${key.fingerprint} (shown only this once, store it now): ${encodeKey(key.key)}`);
    options.say(
      `until every server runs with it, set MAWS_MASTER_KEY=${encodeKey(key.key)},${encodeKey(ring.primary.key)} (new first, then the current one)`,
    );
    return key;
  }
  const nextFile = keyFilePath(options.dataDir, NEXT_KEY_FILE);
  const pending = readKeyFile(nextFile);
  if (pending) {
    if (options.newKey && options.newKey.fingerprint !== pending.fingerprint) {
      throw new MasterKeyError(`an interrupted rotation left ${nextFile} (key ${pending.fingerprint}): run the command without a new key to finish it first`);
    }
    options.say(`finishing the interrupted rotation to master key ${pending.fingerprint} (${nextFile})`);
    return pending;
  }
  const key = options.newKey ?? generateKey();
  // Before the commit: from here on, servers on this data directory can read either key.
  writeKeyFile(nextFile, key);
  options.say(`wrote the new master key ${key.fingerprint} to ${nextFile}`);
  return key;
}

/** master.key.next becomes master.key; the replaced key stays as master.key.previous, which only decrypts. */
function install(dataDir: string, old: MasterKey): void {
  writeKeyFile(keyFilePath(dataDir, PREVIOUS_KEY_FILE), old, { replace: true });
  fs.renameSync(keyFilePath(dataDir, NEXT_KEY_FILE), keyFilePath(dataDir, KEY_FILE));
}

export async function rotateMasterKey(options: RotateOptions): Promise<RotateResult> {
  const db = connectDb(options.database, { connections: 1 });
  try {
    await sql`select 1`.execute(db);
    await checkSchema(db, 'target');
    const ring = currentRing(options);
    // Refused before a new key is made: a wrong current key must leave nothing behind.
    await checkKeyring(db, ring);
    const key = nextKey(options, ring);
    const rows = await resealSecrets(db, ring, key, options.onProgress);
    if (!options.settingKeys) install(options.dataDir, ring.primary);
    return { rows, from: ring.primary.fingerprint, to: key.fingerprint };
  } finally {
    await db.destroy();
  }
}
