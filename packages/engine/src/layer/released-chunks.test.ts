import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { AnalyzedFile, Analyzer } from '../analyzer/contract.ts';
import { decompressChunkBytes } from './decompress.ts';
import { ReleasedChunks } from './released-chunks.ts';
import { gzip, packLayer, streamOf, walkInput, zstd, type FixtureEntry } from './tar-fixtures.ts';
import type { TarReader } from './tar-reader.ts';
import { walkLayer } from './walk-layer.ts';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A reader stand-in that holds the buffers it is told to. */
function holding(held: Set<ArrayBufferLike>): TarReader {
  return { holds: (buffer: ArrayBufferLike) => held.has(buffer) } as unknown as TarReader;
}

describe('ReleasedChunks', () => {
  it('frees a filled inflater buffer once the reader holds no view of it, and nothing else', () => {
    const released = new ReleasedChunks();
    const filled = Buffer.alloc(decompressChunkBytes);
    const whole = filled.subarray(0, decompressChunkBytes);
    const partial = Buffer.alloc(decompressChunkBytes).subarray(0, 1000); // the inflater writes on into it
    const small = Buffer.alloc(4096); // not an inflater buffer
    for (const chunk of [whole, partial, small]) released.add(chunk);
    const held = new Set<ArrayBufferLike>([filled.buffer]);
    released.handled(holding(held));
    assert.equal(filled.buffer.byteLength, decompressChunkBytes, 'held: kept');
    held.clear();
    released.handled(holding(held));
    assert.equal((filled.buffer as ArrayBuffer).detached, true, 'no longer held: freed');
    assert.equal(whole.length, 0);
    assert.equal(partial.length, 1000, 'a buffer the inflater has not filled is left alone');
    assert.equal(small.length, 4096);
  });

  for (const [name, compress] of [
    ['gzip', gzip],
    ['zstd', zstd],
  ] as const) {
    it(`keeps every byte a walk hands out intact while it frees the ${name} chunks behind it`, async () => {
      // Random content does not compress: every file spans several 1 MiB chunks of the inflater.
      const big = randomBytes(5 * 1024 * 1024 + 17);
      const streamed = randomBytes(3 * 1024 * 1024 + 5);
      const small = Array.from({ length: 300 }, (_, index) => randomBytes(1000 + index));
      const entries: FixtureEntry[] = [
        ...small.slice(0, 150).map((content, index) => ({ name: `a/${index}`, content })),
        { name: 'big/collected.bin', content: big },
        ...small.slice(150).map((content, index) => ({ name: `b/${index}`, content })),
        { name: 'big/streamed.bin', content: streamed },
      ];
      const seen = new Map<string, string>();
      const kept: AnalyzedFile[] = [];
      const analyzers: Analyzer[] = [
        {
          kind: 'each',
          id: 'whole',
          version: 1,
          wants: { prefixes: ['a/', 'b/', 'big/collected'], maxBytes: 16 * 1024 * 1024 },
          analyze: (file) => {
            seen.set(file.path, sha256(file.content));
            return [];
          },
        },
        {
          kind: 'each',
          id: 'stream',
          version: 1,
          wants: { paths: ['big/streamed.bin'], maxBytes: 16 * 1024 * 1024 },
          analyze: () => [],
          open: (file) => {
            const hash = createHash('sha256');
            return {
              write: (part) => hash.update(part),
              end: () => {
                seen.set(file.path, hash.digest('hex'));
                return [];
              },
            };
          },
        },
        {
          // A group analyzer holds its files until the layer ends, after their chunks are gone.
          kind: 'group',
          id: 'group',
          version: 1,
          wants: { prefixes: ['big/collected'], maxBytes: 16 * 1024 * 1024 },
          analyzeGroup: (files) => {
            kept.push(...files);
            return [];
          },
        },
      ];
      const layer = compress(await packLayer(entries));
      await walkLayer(walkInput(streamOf(layer, 256 * 1024), { analyzers }));
      assert.equal(seen.get('big/collected.bin'), sha256(big));
      assert.equal(seen.get('big/streamed.bin'), sha256(streamed));
      small.forEach((content, index) =>
        assert.equal(seen.get(index < 150 ? `a/${index}` : `b/${index - 150}`), sha256(content)),
      );
      assert.equal(kept.length, 1);
      assert.equal(sha256(kept[0]?.content ?? Buffer.alloc(0)), sha256(big));
    });
  }
});
