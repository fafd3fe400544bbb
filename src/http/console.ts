import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './send-error.js';

const CONSOLE_PREFIX = '/console/';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// Vite names what it emits under assets/ after a hash of the content: a new build has new names.
const IMMUTABLE = 'public, max-age=31536000, immutable';
// The page names the current assets, so it is revalidated on each load.
const REVALIDATE = 'no-cache';
// The console calls its own origin only; nothing inline, no framing.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

const hidden = { config: { public: true }, schema: { hide: true } };

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** The file's bytes, or undefined when there is no file by that name (none, or a folder). */
async function contentsOf(file: string): Promise<Buffer | undefined> {
  return readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
}

function send(reply: FastifyReply, file: string, body: Buffer, cacheControl: string): FastifyReply {
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  reply.header('Content-Type', type).header('Cache-Control', cacheControl).header('X-Content-Type-Options', 'nosniff');
  if (type.startsWith('text/html')) reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY).header('X-Frame-Options', 'DENY');
  return reply.send(body);
}

/**
 * The web console's built files (npm run build → dist/console) at /console/. It is a client of the
 * public API like any other: these routes only hand out static files. A path without a file of its
 * own, and without an extension, is one of the console's pages (a deep link): it gets index.html,
 * and the console's router shows the page.
 */
export function installConsoleRoutes(app: FastifyInstance, consoleDir: string): void {
  const root = path.resolve(consoleDir);
  const indexFile = path.join(root, 'index.html');

  const serve = async (request: FastifyRequest<{ Params: { '*'?: string } }>, reply: FastifyReply) => {
    // ignoreTrailingSlash sends /console and /console/ to the same route: the page's address has the slash.
    if (request.url === '/console' || request.url.startsWith('/console?')) return reply.redirect(`/console/${request.url.slice(8)}`, 301);
    if (!(await isFile(indexFile))) {
      request.log.warn({ consoleDir: root }, 'the web console is not built');
      return sendError(reply, 'unavailable', 'the web console is not built: run `npm run build` (or set MAWS_CONSOLE_DIR to a built console)');
    }
    const wanted = request.params['*'] ?? '';
    const file = path.resolve(root, wanted);
    // The router decoded %2e%2e and %2f: the resolved path, not the URL, decides.
    if (file !== root && !file.startsWith(root + path.sep)) {
      return sendError(reply, 'route_not_found', `${CONSOLE_PREFIX}${wanted} is outside the console`);
    }
    const contents = file === root ? undefined : await contentsOf(file);
    if (contents !== undefined) {
      const cache = path.relative(root, file).startsWith(`assets${path.sep}`) ? IMMUTABLE : REVALIDATE;
      return send(reply, file, contents, file === indexFile ? REVALIDATE : cache);
    }
    // A missing script or image must not be answered with the page (a 200 of HTML a browser would run or show).
    if (path.extname(file) !== '' || wanted.startsWith('assets/')) {
      return sendError(reply, 'route_not_found', `no such console file: ${CONSOLE_PREFIX}${wanted}`);
    }
    return send(reply, indexFile, await readFile(indexFile), REVALIDATE);
  };

  app.get('/', hidden, async (_request, reply) => reply.redirect(CONSOLE_PREFIX, 302));
  app.get('/console', hidden, serve);
  app.get('/console/*', hidden, serve);
}
