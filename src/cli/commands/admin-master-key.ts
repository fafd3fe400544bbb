// maws admin rotate-master-key: like import and migrate, it connects to the database directly.
import fs from 'node:fs';
import { type CommandContext, type CommandSpec, str, usageError } from '../command.js';
import { CliError } from '../errors.js';
import { progress } from './transfer-output.js';

function option(ctx: CommandContext, name: string): string | undefined {
  const value = str(ctx, name);
  if (value !== undefined && value.trim() === '') throw usageError(ctx, `--${name} needs a value`);
  return value;
}

export const rotateMasterKeyCommand: CommandSpec = {
  path: ['admin', 'rotate-master-key'],
  usage: '[--database DATABASE] [--data-dir DIR] [--new-key-file FILE]',
  summary: 're-encrypt every access key\'s secret key under a new master key, then install it (connects to the database directly)',
  details:
    'Uses the server\'s settings from the environment (DATABASE_URL, MAWS_DATA_DIR, MAWS_MASTER_KEY) unless overridden. ' +
    'Every secret key is re-encrypted in one transaction. With the key file (DIR/master.key) the new key is written to ' +
    'master.key.next first, which servers accept too, and installed once the transaction has committed; the replaced key ' +
    'stays in master.key.previous for rows written meanwhile by servers not yet restarted. An interrupted run is finished ' +
    'by running the command again. With MAWS_MASTER_KEY the new key is printed once, before the commit: update the ' +
    'setting and restart every server. See the README, "Secrets at rest".',
  options: {
    database: { type: 'string', value: 'DATABASE', help: 'a SQLite path, sqlite:PATH or postgres://… (default: the server\'s)' },
    'data-dir': { type: 'string', value: 'DIR', help: 'where master.key is (default: MAWS_DATA_DIR or ./data)' },
    'new-key-file': { type: 'string', value: 'FILE', help: 'take the new key from FILE (base64 of 32 bytes) instead of generating one' },
  },
  positionals: [0, 0],
  async run(ctx) {
    const database = option(ctx, 'database');
    const dataDir = option(ctx, 'data-dir');
    const newKeyFile = option(ctx, 'new-key-file');
    const { ConfigError, loadConfig } = await import('../../config.js');
    const { parseDatabase } = await import('../../transfer/databases.js');
    const { TransferError } = await import('../../transfer/transfer-error.js');
    const { decodeKey, KEY_FORMAT_HINT, MasterKeyError } = await import('../../secrets/master-key.js');
    const { rotateMasterKey } = await import('../../secrets/rotate.js');
    const { settingKeys } = await import('../../secrets/key-file.js');
    try {
      const config = loadConfig({ ...ctx.env, ...(dataDir !== undefined ? { MAWS_DATA_DIR: dataDir } : {}) });
      let newKey;
      if (newKeyFile !== undefined) {
        const text = await fs.promises.readFile(newKeyFile, 'utf8').catch((error: Error) => {
          throw new CliError(`cannot read ${newKeyFile}: ${error.message}`);
        });
        newKey = decodeKey(text);
        if (!newKey) throw new CliError(`${newKeyFile} does not hold ${KEY_FORMAT_HINT}`);
      }
      const report = progress(ctx, 're-encrypting');
      const result = await rotateMasterKey({
        database: database !== undefined ? parseDatabase(database) : config.database,
        dataDir: config.dataDir,
        settingKeys: settingKeys(config.masterKeys),
        newKey,
        say: (line) => ctx.io.err(line),
        onProgress: (rows) => report('access_keys', rows),
      });
      ctx.io.out(`Re-encrypted ${result.rows.toLocaleString('en-US')} secret keys from master key ${result.from} to ${result.to}.`);
      ctx.io.out(
        config.masterKeys
          ? 'Now set MAWS_MASTER_KEY to the new key printed above and restart every server.'
          : `Installed it in ${config.dataDir}/master.key (the old one is in master.key.previous). Restart every server: servers elsewhere need a copy of the new master.key.`,
      );
    } catch (error) {
      if (error instanceof ConfigError || error instanceof TransferError || error instanceof MasterKeyError) throw new CliError(error.message);
      throw error;
    }
  },
};
