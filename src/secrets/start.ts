import type { Config } from '../config.js';
import type { Db } from '../db/types.js';
import { StartFailure } from '../start-failure.js';
import { settingKeys } from './key-file.js';
import { MasterKeyError } from './master-key.js';
import { createSecretBox, type SecretBox } from './secret-box.js';
import { checkKeyring, loadServerKeyring, sealClearSecrets } from './stored-secrets.js';

/**
 * The master keyring at start: refuses a missing, malformed or exposed key and a database whose
 * secrets another key encrypted, then encrypts the secrets an older version stored in clear text.
 */
export async function openSecrets(config: Config, db: Db): Promise<SecretBox> {
  try {
    const ring = await loadServerKeyring(db, settingKeys(config.masterKeys), config.dataDir);
    await checkKeyring(db, ring);
    await sealClearSecrets(db, ring);
    return createSecretBox(ring, config.masterKeys ? undefined : config.dataDir);
  } catch (error) {
    if (error instanceof MasterKeyError) throw new StartFailure(`cannot use the master key: ${error.message}`);
    throw error;
  }
}
