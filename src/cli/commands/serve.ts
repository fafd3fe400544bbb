// maws serve: the server in this process, configured from the environment like `npm start`.
import type { CommandSpec } from '../command.js';

export const serveCommand: CommandSpec = {
  path: ['serve'],
  usage: '',
  summary: 'run the server in this process (configured from MAWS_* environment variables)',
  details: 'See the README for the variables (MAWS_PORT, MAWS_DATA_DIR, DATABASE_URL, ...). Stops on SIGTERM/SIGINT.',
  positionals: [0, 0],
  async run(ctx) {
    // loaded only here, so the client commands start without the server's dependencies
    const { runServer } = await import('../../run-server.js');
    await runServer(ctx.env);
  },
};
