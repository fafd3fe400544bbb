#!/usr/bin/env node
// maws: the command-line client (and `maws serve`). Only this entry reads the process's
// environment; the commands get it passed in (tests run them in process with their own).
import { runCli } from './cli.js';
import { defaultConfigPath } from './profiles.js';

// `maws ws ls | head`: a closed pipe is not an error
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
});

const exitCode = await runCli(process.argv.slice(2), {
  configPath: process.env.MAWS_CONFIG || defaultConfigPath(),
  env: process.env,
});
if (exitCode !== 0) process.exitCode = exitCode;
