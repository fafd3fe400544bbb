import { readKeyring } from './key-file.js';
import { type Keyring, open, seal, sealedUnder } from './master-key.js';

export type SecretBox = ReturnType<typeof createSecretBox>;

/**
 * What IAM encrypts new secret keys with and authentication decrypts them with (on a credential
 * cache miss only: nothing here keeps a clear secret). With key files, a secret under a key this
 * process does not know makes it read the files again once: a rotation run on this host is picked
 * up without a restart. Under MAWS_MASTER_KEY, the process must be restarted with the new key.
 */
export function createSecretBox(initial: Keyring, dataDir?: string) {
  let ring = initial;

  function refreshFor(fingerprint: string): void {
    if (dataDir === undefined || ring.keys.some((k) => k.fingerprint === fingerprint)) return;
    try {
      ring = readKeyring(dataDir) ?? ring;
    } catch {
      // A broken file on disk leaves the keys this process started with; open() names the mismatch.
    }
  }

  return {
    fingerprint: () => ring.primary.fingerprint,
    seal: (accessKey: string, secret: string): string => seal(ring.primary, accessKey, secret),
    /** @throws MasterKeyError when the secret is under a key this process does not have */
    open(accessKey: string, stored: string): string {
      const fingerprint = sealedUnder(stored);
      if (fingerprint !== undefined) refreshFor(fingerprint);
      return open(ring, accessKey, stored);
    },
  };
}
