#!/usr/bin/env node
// maws: the command-line client (and `maws serve`). The config file path is the only thing read
// from the environment here; `maws serve` configures the server from it like `npm start`.
import { runCli } from './cli.js';
import { defaultConfigPath } from './profiles.js';

// `maws ws ls | head`: a closed pipe is not an error
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
});

const exitCode = await runCli(process.argv.slice(2), { configPath: process.env.MAWS_CONFIG || defaultConfigPath() });
if (exitCode !== 0) process.exitCode = exitCode;
