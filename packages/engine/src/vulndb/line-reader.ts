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
  // The unfinished line is kept as pieces and searched only in each new chunk: re-searching one
  // growing string made a long line cost time quadratic in its length.
  const pending: string[] = [];
  let pendingLength = 0;
  for await (const chunk of chunks) {
    onChunk(chunk);
    const text = decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      pending.push(text.slice(start, end));
      const line = pending.join('');
      pending.length = 0;
      pendingLength = 0;
      yield line.endsWith('\r') ? line.slice(0, -1) : line;
      start = end + 1;
    }
    if (start < text.length) {
      pending.push(text.slice(start));
      pendingLength += text.length - start;
    }
    if (pendingLength > maxLineBytes)
      throw feedError('invalid_feed', `a line is longer than ${maxLineBytes} bytes`);
  }
  const last = pending.join('') + decoder.end();
  if (last.length > 0) yield last.endsWith('\r') ? last.slice(0, -1) : last;
}
