import { ConfigError, loadConfig } from './config.js';
import type { BootstrapResult } from './iam/bootstrap.js';
import { startServer } from './server.js';

function announce(boot: BootstrapResult): void {
  const lines = [
    'modelarts-workspaces: created the root account on this empty database',
    `  account (domain) and root user: ${boot.userName}`,
    `  project: ${boot.projectName} (id ${boot.projectId})`,
  ];
  if (boot.generated.password) lines.push(`  root password:   ${boot.generated.password}`);
  if (boot.generated.accessKey) lines.push(`  root access key: ${boot.generated.accessKey}`);
  if (boot.generated.secretKey) lines.push(`  root secret key: ${boot.generated.secretKey}`);
  if (Object.keys(boot.generated).length > 0) lines.push('  generated secrets are shown only this once: store them now');
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const server = await startServer(config, announce);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    server.app.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
