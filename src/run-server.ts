import { ConfigError, loadConfig } from './config.js';
import type { BootstrapResult } from './iam/bootstrap.js';
import { type RunningServer, startServer } from './server.js';
import { StartFailure } from './start-failure.js';

function announce(boot: BootstrapResult): void {
  const lines = [
    'modelarts-workspaces: created the root account on this empty database',
    `  account (domain) and root user: ${boot.userName}`,
    ...boot.projects.map((p) => `  project: ${p.name} (id ${p.id})`),
  ];
  if (boot.generated.password) lines.push(`  root password:   ${boot.generated.password}`);
  if (boot.generated.accessKey) lines.push(`  root access key: ${boot.generated.accessKey}`);
  if (boot.generated.secretKey) lines.push(`  root secret key: ${boot.generated.secretKey}`);
  if (Object.keys(boot.generated).length > 0) lines.push('  generated secrets are shown only this once: store them now');
  process.stdout.write(`${lines.join('\n')}\n`);
}

function announceOperatorToken(token: string): void {
  process.stdout.write(
    `modelarts-workspaces: generated the operator API token (MAWS_OPERATOR_TOKEN was not set)\n  operator token: ${token}\n  it is shown only this once: store it now\n`,
  );
}

/** The server as a process: configured from the environment, stopped gracefully by SIGTERM/SIGINT. */
export async function runServer(env: Record<string, string | undefined> = process.env): Promise<void> {
  let server: RunningServer | undefined;
  let stopSignal: string | undefined;
  const shutdown = (running: RunningServer, signal: string) => {
    running.app.log.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (error) => {
        running.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Heard from the start: without a handler, a signal sent as soon as the readiness line is out
  // would kill the process instead of stopping it. A signal during the start stops it once started.
  const onSignal = (signal: string) => {
    if (stopSignal) return;
    stopSignal = signal;
    if (server) shutdown(server, signal);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  try {
    server = await startServer(loadConfig(env), { onBootstrap: announce, onOperatorToken: announceOperatorToken });
  } catch (error) {
    // What the operator can fix is said in its own words; anything else is a defect and keeps its stack.
    const known = error instanceof ConfigError || error instanceof StartFailure;
    process.stderr.write(known ? `${error.message}\n` : `failed to start: ${(error as Error)?.stack ?? error}\n`);
    process.exit(1);
  }
  // Where to go next, once the account it names exists: its secrets were printed above.
  if (server.bootstrap) process.stdout.write(`modelarts-workspaces: the web console is at ${server.url}/console/ (sign in as the root user above)\n`);
  if (stopSignal) shutdown(server, stopSignal);
}
