// HTTP/1.1 over a plain socket, for tests about connections themselves (keep-alive, pipelining,
// who closes first): a client library would reuse, retry or close sockets on its own.
import net from 'node:net';

export interface RawResponse {
  status: number;
  /** lower-case names */
  headers: Record<string, string>;
  body: string;
}

export interface RawConnection {
  write(text: string): void;
  /** the next complete response (Content-Length framed, as all of ours are) */
  response(): Promise<RawResponse>;
  /** resolves when the server ends the connection; the test never ends it itself */
  endedByServer: Promise<void>;
  destroy(): void;
}

export async function openRawConnection(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buffered = '';
  const waiting: (() => void)[] = [];
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    waiting.splice(0).forEach((wake) => wake());
  });
  const endedByServer = new Promise<void>((resolve) => socket.once('end', resolve));
  let ended = false;
  void endedByServer.then(() => {
    ended = true;
    waiting.splice(0).forEach((wake) => wake());
  });

  const take = (): RawResponse | undefined => {
    const headEnd = buffered.indexOf('\r\n\r\n');
    if (headEnd < 0) return undefined;
    const [statusLine, ...lines] = buffered.slice(0, headEnd).split('\r\n');
    const headers = Object.fromEntries(
      lines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    const length = Number(headers['content-length'] ?? 0);
    if (buffered.length < headEnd + 4 + length) return undefined;
    const body = Buffer.from(buffered.slice(headEnd + 4, headEnd + 4 + length), 'latin1').toString('utf8');
    buffered = buffered.slice(headEnd + 4 + length);
    return { status: Number(statusLine!.split(' ')[1]), headers, body };
  };
  const response = () =>
    new Promise<RawResponse>((resolve, reject) => {
      const check = () => {
        const next = take();
        if (next) resolve(next);
        else if (ended) reject(new Error(`the server ended the connection before a complete response: ${JSON.stringify(buffered)}`));
        else waiting.push(check);
      };
      check();
    });
  return { write: (text) => void socket.write(text), response, endedByServer, destroy: () => socket.destroy() };
}
