/**
 * The JSON Lines splitter. The fuzzer (test/fuzz/osv-records.test.ts) found that a long line
 * arriving in small chunks cost time quadratic in its length (63 KB of NUL bytes in 1-byte chunks
 * took over 2 s): the growing unfinished line was searched again for each chunk.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { isDrydockError } from '../util/errors.ts';
import { readLines } from './line-reader.ts';

function chunked(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  return Array.from({ length: Math.ceil(bytes.length / size) }, (_, index) =>
    bytes.subarray(index * size, (index + 1) * size),
  );
}

async function lines(chunks: readonly Buffer[], maxLineBytes = 1024 * 1024): Promise<string[]> {
  const found: string[] = [];
  for await (const line of readLines(Readable.from(chunks), maxLineBytes)) found.push(line);
  return found;
}

describe('readLines', () => {
  it('splits at LF and CRLF wherever the chunks break, multi-byte characters included', async () => {
    const text = '{"a":"é"}\r\n\n{"b":"€𝄞"}\r\n{"c":1}';
    for (const size of [1, 2, 3, 5, 64]) {
      assert.deepEqual(
        await lines(chunked(text, size)),
        ['{"a":"é"}', '', '{"b":"€𝄞"}', '{"c":1}'],
        `chunks of ${size}`,
      );
    }
  });

  it('reads a 1 MiB line that arrives in 64-byte chunks without a hang', async () => {
    const long = 'x'.repeat(1024 * 1024);
    const started = performance.now();
    assert.deepEqual(await lines(chunked(`${long}\nend`, 64), 2 * 1024 * 1024), [long, 'end']);
    // A hang check, not a timing assertion: this takes milliseconds, and took minutes when each
    // chunk re-searched the whole unfinished line.
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 10_000, `splitting took ${Math.round(elapsed)} ms`);
  });

  it('still refuses a line longer than the bound', async () => {
    await assert.rejects(
      lines(chunked('y'.repeat(5000), 100), 4096),
      (error: unknown) => isDrydockError(error) && error.reason === 'invalid_feed',
    );
  });
});
