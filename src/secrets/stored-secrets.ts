/**
 * The access keys' secret keys as the database holds them: which master keys they need, their
 * encryption at start (rows from before encryption) and their re-encryption by a rotation.
 */
import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../db/dialect.js';
import type { DB, Executor } from '../db/types.js';
import { createKeyFile, readKeyring } from './key-file.js';
import { generateKey, type Keyring, makeKeyring, type MasterKey, MasterKeyError, mismatchMessage, open, seal, sealedUnder } from './master-key.js';

const PAGE = 1000;

/** Every access key's stored secret, page by page in key order. */
async function* storedSecrets(db: Executor): AsyncGenerator<{ access_key: string; secret_key: string }> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('access_keys')
      .select(['access_key', 'secret_key'])
      .where('access_key', '>', after)
      .orderBy('access_key')
      .limit(PAGE)
      .execute();
    yield* rows;
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.access_key;
  }
}

/** The fingerprints the stored secrets are encrypted under. */
async function fingerprintsInUse(db: Executor): Promise<Set<string>> {
  const used = new Set<string>();
  for await (const row of storedSecrets(db)) {
    const fingerprint = sealedUnder(row.secret_key);
    if (fingerprint) used.add(fingerprint);
  }
  return used;
}

/** Refuses a keyring that lacks a key some stored secret needs: a replica or import holding another master key. */
export async function checkKeyring(db: Executor, ring: Keyring): Promise<void> {
  for (const fingerprint of await fingerprintsInUse(db)) {
    if (!ring.keys.some((k) => k.fingerprint === fingerprint)) throw new MasterKeyError(`the database holds a ${mismatchMessage(fingerprint, ring)}`);
  }
}

/**
 * The server's keyring: MAWS_MASTER_KEY when set, else the data directory's key files; without
 * either, a new master.key, unless the database already holds encrypted secrets (their key is lost
 * or elsewhere: generating another would not help).
 */
export async function loadServerKeyring(db: Kysely<DB>, setting: readonly MasterKey[] | undefined, dataDir: string): Promise<Keyring> {
  if (setting) return makeKeyring(setting, 'MAWS_MASTER_KEY');
  const existing = readKeyring(dataDir);
  if (existing) return existing;
  const [needed] = await fingerprintsInUse(db);
  if (needed) {
    throw new MasterKeyError(
      `the database holds secret keys encrypted under master key ${needed}, but there is no master key: set MAWS_MASTER_KEY or restore ${dataDir}/master.key`,
    );
  }
  return createKeyFile(dataDir, generateKey());
}

/** Encrypts the secrets stored in clear text (by a version before encryption, or an older export); returns how many. */
export async function sealClearSecrets(db: Kysely<DB>, ring: Keyring): Promise<number> {
  const sqlite = dialectOf(db) === 'sqlite';
  // SQLite would otherwise keep the replaced clear text in the free space of the pages it rewrites.
  if (sqlite) await sql`PRAGMA secure_delete = ON`.execute(db);
  try {
    const sealed = await db.transaction().execute(async (trx) => {
      let count = 0;
      for await (const row of storedSecrets(trx)) {
        if (sealedUnder(row.secret_key) !== undefined) continue;
        const secret = seal(ring.primary, row.access_key, row.secret_key);
        await trx.updateTable('access_keys').set({ secret_key: secret }).where('access_key', '=', row.access_key).execute();
        count++;
      }
      return count;
    });
    // And its write-ahead log the pages as they were: emptied once they are in the database file.
    if (sqlite && sealed > 0) await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    return sealed;
  } finally {
    if (sqlite) await sql`PRAGMA secure_delete = OFF`.execute(db);
  }
}

/**
 * Re-encrypts every stored secret under key, in one transaction: all or none. Decrypting with
 * ring fails (and changes nothing) for a secret under a key the ring lacks.
 */
export async function resealSecrets(db: Kysely<DB>, ring: Keyring, key: MasterKey, onProgress?: (rows: number) => void): Promise<number> {
  const decrypting = makeKeyring([...ring.keys, key], ring.source);
  return db.transaction().execute(async (trx) => {
    let rows = 0;
    for await (const row of storedSecrets(trx)) {
      const secret = seal(key, row.access_key, open(decrypting, row.access_key, row.secret_key));
      await trx.updateTable('access_keys').set({ secret_key: secret }).where('access_key', '=', row.access_key).execute();
      onProgress?.(++rows);
    }
    return rows;
  });
}
