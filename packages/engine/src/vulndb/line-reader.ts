import { StringDecoder } from 'node:string_decoder';
import { feedError } from './feed-error.ts';

/**
 * Splits a byte stream into UTF-8 lines (`\n` or `\r\n`), bounded in length so a file without line
 * breaks cannot exhaust memory. `onChunk` sees every chunk (to hash the bytes as they pass).
 * JSON Lines: https://jsonlines.org/
 */
export async function* readLines(
  chunks: AsyncIterable<Buffer>,
  maxLineBytes: number,
  onChunk: (chunk: Buffer) => void = () => undefined,
): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of chunks) {
    onChunk(chunk);
    pending += decoder.write(chunk);
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      yield pending.slice(start, end > start && pending[end - 1] === '\r' ? end - 1 : end);
      start = end + 1;
    }
    pending = pending.slice(start);
    if (pending.length > maxLineBytes)
      throw feedError('invalid_feed', `a line is longer than ${maxLineBytes} bytes`);
  }
  pending += decoder.end();
  if (pending.length > 0) yield pending.endsWith('\r') ? pending.slice(0, -1) : pending;
}
