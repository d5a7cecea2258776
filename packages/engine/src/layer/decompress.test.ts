import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { DrydockError } from '../util/errors.ts';
import { resolveLimits, type ScanLimits } from '../util/limits.ts';
import { openDecompressed, sniffCompression, type DecompressedLayer } from './decompress.ts';
import { freshBudget, generatedStream, gzip, gzipBomb, streamOf, zstd } from './tar-fixtures.ts';
import type { WalkBudget } from './types.ts';

const gzipType = 'application/vnd.oci.image.layer.v1.tar+gzip';
const zstdType = 'application/vnd.oci.image.layer.v1.tar+zstd';
const plainType = 'application/vnd.oci.image.layer.v1.tar';

interface OpenOptions {
  readonly mediaType?: string;
  readonly limits?: Partial<ScanLimits>;
  readonly budget?: WalkBudget;
  readonly signal?: AbortSignal;
}

function open(source: Readable, options: OpenOptions = {}): DecompressedLayer {
  return openDecompressed(source, {
    mediaType: options.mediaType ?? gzipType,
    limits: resolveLimits(options.limits),
    budget: options.budget ?? freshBudget(),
    signal: options.signal ?? new AbortController().signal,
  });
}

async function collect(layer: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of layer) if (Buffer.isBuffer(chunk)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function failure(layer: Readable): Promise<DrydockError> {
  try {
    for await (const _ of layer) {
      // drain
    }
  } catch (error) {
    assert.ok(error instanceof DrydockError, `expected a DrydockError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the stream to fail');
}

/** Pseudo-random bytes over a small alphabet: compressible, but not to nothing. */
const payload = Buffer.from(
  Array.from({ length: 100_000 }, (_, i) => 97 + ((i * 7919) % 13) * ((i >> 4) % 3)),
);

describe('sniffCompression', () => {
  it('reads magic bytes, not media types', () => {
    assert.equal(sniffCompression(Buffer.from([0x1f, 0x8b, 8, 0]), false), 'gzip');
    assert.equal(sniffCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), false), 'zstd');
    assert.equal(sniffCompression(Buffer.from([0x50, 0x2a, 0x4d, 0x18]), false), 'zstd');
    assert.equal(sniffCompression(Buffer.from('usr/'), false), 'none');
    assert.equal(sniffCompression(Buffer.from([0x28, 0xb5]), false), undefined);
    assert.equal(sniffCompression(Buffer.from([0x28, 0xb5]), true), 'none');
  });
});

describe('openDecompressed', () => {
  it('inflates gzip, zstd and plain blobs whatever their media type says', async () => {
    const cases = [
      { data: gzip(payload), mediaType: gzipType, compression: 'gzip' },
      { data: zstd(payload), mediaType: zstdType, compression: 'zstd' },
      { data: payload, mediaType: plainType, compression: 'none' },
      { data: gzip(payload), mediaType: plainType, compression: 'gzip' },
      { data: zstd(payload), mediaType: gzipType, compression: 'zstd' },
      { data: payload, mediaType: gzipType, compression: 'none' },
    ] as const;
    for (const { data, mediaType, compression } of cases) {
      const budget = freshBudget();
      const layer = open(streamOf(data, 3), { mediaType, budget });
      assert.deepEqual(await collect(layer), payload);
      assert.equal(layer.compression, compression);
      assert.equal(layer.compressedBytes, data.length);
      assert.equal(layer.uncompressedBytes, payload.length);
      assert.equal(budget.uncompressedBytes, payload.length);
    }
  });

  it('inflates a blob that arrives in small pieces in large writes: few, full chunks', async () => {
    // Random text (base64) compresses to about three quarters: 8 MiB in 16 KiB pieces is ~380 of them.
    const text = Buffer.from(randomBytes(6 * 1024 * 1024).toString('base64'));
    const compressed = gzipSync(text);
    for (const mediaType of [gzipType, zstdType]) {
      const blob = mediaType === gzipType ? compressed : zstd(text);
      const chunks: Buffer[] = [];
      for await (const chunk of open(streamOf(blob, 16 * 1024), { mediaType })) chunks.push(chunk as Buffer);
      assert.ok(Buffer.concat(chunks).equals(text), mediaType);
      // One chunk per write to the inflater or fewer: with a write per piece there were hundreds.
      assert.ok(chunks.length <= 40, `${mediaType}: ${chunks.length} chunks`);
    }
  });

  it('treats an empty blob as an empty layer', async () => {
    const layer = open(streamOf(Buffer.alloc(0)));
    assert.equal((await collect(layer)).length, 0);
  });

  it('fails a truncated or corrupt compressed stream with download_failed', async () => {
    const packed = gzip(payload);
    const truncated = await failure(open(streamOf(packed.subarray(0, packed.length - 20))));
    assert.deepEqual([truncated.code, truncated.reason], ['download_failed', 'truncated']);
    const corrupt = await failure(
      open(streamOf(Buffer.concat([packed.subarray(0, 10), Buffer.alloc(200, 0xff)]))),
    );
    assert.deepEqual([corrupt.code, corrupt.reason], ['download_failed', 'corrupt_layer']);
    const zstdTruncated = await failure(open(streamOf(zstd(payload).subarray(0, 30))));
    assert.equal(zstdTruncated.code, 'download_failed');
  });

  it('enforces the uncompressed size of a layer and of the image', async () => {
    const layer = await failure(
      open(streamOf(gzip(payload)), { limits: { maxUncompressedLayerBytes: 50_000 } }),
    );
    assert.deepEqual([layer.code, layer.reason], ['layer_too_large', 'uncompressed_size']);
    const budget = { files: 0, uncompressedBytes: 990_000 };
    const image = await failure(
      open(streamOf(payload), { budget, limits: { maxUncompressedImageBytes: 1_000_000 } }),
    );
    assert.deepEqual([image.code, image.reason], ['image_too_large', 'uncompressed_size']);
  });

  it('stops a decompression bomb once the grace bytes are inflated', async () => {
    const bomb = gzipBomb(2 * 1024 ** 3);
    const layer = open(bomb);
    const error = await failure(layer);
    assert.deepEqual([error.code, error.reason], ['layer_too_large', 'compression_ratio']);
    assert.ok(
      layer.uncompressedBytes <= 256 * 1024 * 1024 + 1024 * 1024,
      `inflated ${layer.uncompressedBytes}`,
    );
    assert.ok(bomb.destroyed);
    // Below the grace size, the same ratio is allowed.
    const small = open(streamOf(gzipSync(Buffer.alloc(1024 * 1024), { level: 9 })), {
      limits: { ratioGraceBytes: 2 * 1024 * 1024 },
    });
    assert.equal((await collect(small)).length, 1024 * 1024);
  });

  it('destroys the source promptly on abort, with the abort reason', async () => {
    const controller = new AbortController();
    const source = generatedStream(() => Buffer.alloc(64 * 1024));
    const layer = open(source, { mediaType: plainType, signal: controller.signal });
    let seen = 0;
    layer.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > 1024 * 1024)
        controller.abort(new DrydockError('timed_out', 'scan deadline', { reason: 'deadline' }));
    });
    const error = await new Promise<unknown>((resolve) => layer.on('error', resolve));
    assert.ok(error instanceof DrydockError);
    assert.equal(error.reason, 'deadline');
    assert.ok(source.destroyed);
  });

  it('fails at once when the signal is already aborted', async () => {
    const source = streamOf(payload);
    const error = await failure(open(source, { signal: AbortSignal.abort() }));
    assert.equal(error.code, 'aborted');
    assert.ok(source.destroyed);
  });
});
