/** The format's lines to and from text: NDJSON, one line per Line, read and written in chunks. */
import { FORMAT, type Line, parseLine, serializeLine } from './format.js';
import { TransferError } from './transfer-error.js';

const CHUNK_CHARS = 64 * 1024;

/** The lines as text, several per chunk (a write per line would cost more than the line). */
export async function* serializeLines(lines: AsyncIterable<Line>): AsyncGenerator<string> {
  let chunk = '';
  for await (const line of lines) {
    chunk += `${serializeLine(line)}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

interface TextLine {
  line: Line;
  /** the line as it was read, without its newline */
  text: string;
}

/**
 * Text in chunks (a file or a response body) as lines. A last line without its newline is
 * still read: whether the export is complete is the trailer's to say.
 */
export async function* parseText(chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): AsyncGenerator<TextLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let lineNumber = 0;
  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      throw new TransferError('invalid', `the file is not UTF-8 text: this is not a ${FORMAT} file, or it is damaged`);
    }
  };
  for await (const chunk of chunks) {
    pending += typeof chunk === 'string' ? chunk : decode(chunk);
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      const text = pending.slice(start, end);
      start = end + 1;
      if (text !== '') yield { line: parseLine(text, ++lineNumber), text };
    }
    pending = pending.slice(start);
  }
  pending += decode();
  if (pending !== '') yield { line: parseLine(pending, ++lineNumber), text: pending };
}

export async function* linesOf(textLines: AsyncIterable<TextLine>): AsyncGenerator<Line> {
  for await (const { line } of textLines) yield line;
}
