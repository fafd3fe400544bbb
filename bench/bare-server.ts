/**
 * The reference point: a bare Fastify 5 app, logger off, answering ShowWorkspace's path with one
 * fixed JSON object of the size of a real workspace (no database, no auth, no hooks).
 * Started by run.ts as `node --import tsx bench/bare-server.ts <port> [<page.json>]`; prints
 * "listening <port>". With a page (the real server's answer to `?limit=1000`, fetched once by
 * run.ts), ListWorkspaces' path answers it too: parsed once here, `JSON.stringify` per request.
 */
import fs from 'node:fs';
import Fastify from 'fastify';

const BARE_WORKSPACE = {
  id: 'a3f1c09b6d2e4e7f8a1b2c3d4e5f6a7b',
  name: 'analytics-workspace-012345',
  description: 'analytics team workspace for training jobs',
  owner: 'bench-user-2',
  create_time: 1760000000000,
  update_time: 1761000000000,
  enterprise_project_id: '0',
  enterprise_project_name: 'default',
  auth_type: 'public',
  status: 'NORMAL',
  status_info: '',
  grants: [] as Array<{ user_id: string; user_name: string; user_type: string }>,
};

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 0);
  const app = Fastify({ logger: false });
  app.get('/v1/:project_id/workspaces/:workspace_id', async () => BARE_WORKSPACE);
  const pageFile = process.argv[3];
  if (pageFile) {
    const page: unknown = JSON.parse(fs.readFileSync(pageFile, 'utf8'));
    // A string with a JSON content type is sent as it is: the reference pays JSON.stringify and
    // nothing else (no response schema, no serializer of Fastify's).
    app.get('/v1/:project_id/workspaces', (_request, reply) => {
      reply.type('application/json; charset=utf-8').send(JSON.stringify(page));
    });
  }
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
