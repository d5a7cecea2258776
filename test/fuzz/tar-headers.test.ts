/**
 * Fuzzing the tar reader the way a layer reaches it: whole layer walks (plain and gzip) over
 * mutated archives and over archives of generated headers, streamed in chunks of random sizes,
 * with the built-in analyzers asking for their files; the pax record parser; and the tar index
 * that local archives (docker save, OCI archives) are read through. Mutated headers get their
 * checksums recomputed half the time, so the damage reaches the fields behind the checksum.
 * Every failure must be a DrydockError.
 */
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { builtinAnalyzers } from '../../packages/engine/src/analyzer/registry.ts';
import { indexTar, type PositionalReader } from '../../packages/engine/src/image/local/tar-index.ts';
import { parsePaxRecords, type PaxRecords } from '../../packages/engine/src/layer/pax-records.ts';
import { gzip, packLayer, streamOf, walkInput } from '../../packages/engine/src/layer/tar-fixtures.ts';
import {
  base256,
  dataBlocks,
  endMarker,
  extendedHeader,
  paxRecord,
  rawFile,
  rawHeader,
  type RawFormat,
} from '../../packages/engine/src/layer/tar-raw.ts';
import { walkLayer } from '../../packages/engine/src/layer/walk-layer.ts';
import { boundedCall, boundedCallAsync, drydockErrorsOnly } from './bounded-call.ts';
import { fuzzParameters } from './fuzz-budget.ts';
import { mutatedBytes } from './mutations.ts';

const blockSize = 512;

/** Rewrites the checksum of every header a reader would meet, following the size fields. */
function withChecksums(archive: Buffer): Buffer {
  const fixed = Buffer.from(archive);
  let position = 0;
  for (let blocks = 0; position + blockSize <= fixed.length && blocks < 10_000; blocks++) {
    const block = fixed.subarray(position, position + blockSize);
    if (block.every((byte) => byte === 0)) {
      position += blockSize;
      continue;
    }
    block.fill(0x20, 148, 156);
    const sum = block.reduce((total, byte) => total + byte, 0);
    block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
    const size = Number.parseInt(block.toString('latin1', 124, 136).replace(/[^0-7]/g, '') || '0', 8);
    const typeflag = String.fromCharCode(block[156] ?? 0);
    const dataBytes = '123456'.includes(typeflag) || !Number.isSafeInteger(size) ? 0 : size;
    position += blockSize + Math.ceil(dataBytes / blockSize) * blockSize;
  }
  return fixed;
}

const osRelease = 'ID=debian\nVERSION_ID="12"\n';
const dpkgStatus = 'Package: acl\nStatus: install ok installed\nVersion: 2.3.1-3\nArchitecture: amd64\n\n';

async function seedArchives(): Promise<Buffer[]> {
  const packed = await packLayer([
    { name: 'etc/', type: 'directory' },
    { name: 'etc/os-release', content: osRelease },
    { name: 'var/lib/dpkg/status', content: dpkgStatus },
    { name: `usr/share/${'long-directory-name/'.repeat(12)}file.txt`, content: 'x' },
    { name: 'usr/bin/tool', content: Buffer.alloc(2048, 7), mode: 0o4755 },
    { name: 'usr/bin/alias', type: 'symlink', linkname: '../../etc/os-release' },
    { name: 'usr/bin/hard', type: 'link', linkname: 'usr/bin/tool' },
    { name: 'opt/.wh..wh..opq', content: '' },
    { name: 'opt/.wh.removed', content: '' },
  ]);
  const raw = Buffer.concat([
    extendedHeader('g', paxRecord('mtime', '1700000000.5')),
    extendedHeader('x', paxRecord('path', 'etc/os-release') + paxRecord('size', String(osRelease.length))),
    rawFile('ignored-name', osRelease),
    extendedHeader('L', `app/${'n'.repeat(300)}/package-lock.json\u0000`),
    rawFile('././@LongLink', '{"lockfileVersion":3,"packages":{}}', { format: 'gnu' }),
    rawFile('v7-file', 'old', { format: 'v7' }),
    rawFile('big-size-field', 'abc', { sizeField: base256(3n), format: 'gnu' }),
    rawHeader({ name: 'sparse', typeflag: 'S', size: 0, realSize: 4096, format: 'gnu' }),
    endMarker,
  ]);
  return [packed, raw];
}

/** Headers built field by field: sizes at the edges, every typeflag, names of any bytes. */
const generatedArchive: fc.Arbitrary<Buffer> = fc
  .array(
    fc.record({
      name: fc.oneof(
        fc.constantFrom(
          'etc/os-release',
          'var/lib/rpm/Packages',
          'a/../../b',
          '.wh.x',
          'var/lib/dpkg/status',
        ),
        fc.string({ maxLength: 120 }),
      ),
      typeflag: fc.constantFrom(
        '0',
        '1',
        '2',
        '3',
        '5',
        '7',
        'x',
        'g',
        'L',
        'K',
        'S',
        'D',
        'V',
        '\u0000',
        'Z',
      ),
      size: fc.oneof(
        fc.integer({ min: 0, max: 4096 }),
        fc.constantFrom(0o77777777777, 2 ** 31, 400 * 1024 * 1024),
      ),
      hugeSize: fc.option(fc.bigInt({ min: 0n, max: 2n ** 94n }), { freq: 5 }),
      mode: fc.integer({ min: 0, max: 0o7777 }),
      linkName: fc.string({ maxLength: 40 }),
      format: fc.constantFrom<RawFormat>('ustar', 'gnu', 'v7'),
      data: fc.uint8Array({ maxLength: 1500 }),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((entries) =>
    Buffer.concat([
      ...entries.flatMap((entry) => [
        rawHeader({ ...entry, ...(entry.hugeSize === null ? {} : { sizeField: base256(entry.hugeSize) }) }),
        dataBlocks(Buffer.from(entry.data)),
      ]),
      endMarker,
    ]),
  );

async function walk(bytes: Buffer, chunkBytes: number): Promise<void> {
  await walkLayer(walkInput(streamOf(bytes, chunkBytes), { analyzers: builtinAnalyzers }));
}

class MemoryReader implements PositionalReader {
  readonly #bytes: Buffer;
  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
    const bytesRead = this.#bytes.copy(
      buffer,
      offset,
      position,
      Math.min(position + length, this.#bytes.length),
    );
    return Promise.resolve({ bytesRead });
  }
}

describe('fuzz: tar headers', async () => {
  const seeds = await seedArchives();
  const archives = fc.oneof(
    fc.tuple(mutatedBytes(seeds), fc.boolean()).map(([bytes, fix]) => (fix ? withChecksums(bytes) : bytes)),
    generatedArchive,
  );
  const chunkBytes = fc.oneof(fc.constant(64 * 1024), fc.integer({ min: 64, max: 2048 }));

  it('layer walks of plain tar', async () => {
    await fc.assert(
      fc.asyncProperty(archives, chunkBytes, async (bytes, chunk) => {
        await boundedCallAsync('walkLayer (tar)', bytes, () => walk(bytes, chunk), drydockErrorsOnly);
      }),
      fuzzParameters(2),
    );
  });

  it('layer walks of gzip', async () => {
    await fc.assert(
      fc.asyncProperty(archives, fc.boolean(), async (bytes, compressFirst) => {
        // Mutating after compression tests the decompressor; before, the reader behind it.
        const layer = compressFirst ? gzip(bytes) : bytes;
        await boundedCallAsync(
          'walkLayer (gzip)',
          layer,
          () => walk(compressFirst ? layer : gzip(layer), 16 * 1024),
          drydockErrorsOnly,
        );
      }),
      fuzzParameters(0.5),
    );
    await fc.assert(
      fc.asyncProperty(mutatedBytes(seeds.map((seed) => gzip(seed))), async (layer) => {
        await boundedCallAsync('walkLayer (mutated gzip)', layer, () => walk(layer, 4096), drydockErrorsOnly);
      }),
      fuzzParameters(0.5),
    );
  });

  it('pax extended header records', () => {
    const records = Buffer.from(
      paxRecord('path', 'a/b') +
        paxRecord('size', '12') +
        paxRecord('linkpath', 'x') +
        paxRecord('GNU.sparse.realsize', '99'),
    );
    fc.assert(
      fc.property(mutatedBytes([records]), (data) => {
        const into: PaxRecords = new Map();
        boundedCall('parsePaxRecords', data, () => parsePaxRecords(data, into), drydockErrorsOnly);
      }),
      fuzzParameters(4),
    );
  });

  it('the member index of local image archives', async () => {
    await fc.assert(
      fc.asyncProperty(archives, async (bytes) => {
        await boundedCallAsync(
          'indexTar',
          bytes,
          () => indexTar(new MemoryReader(bytes), bytes.length, { maxMembers: 1000 }),
          drydockErrorsOnly,
        );
      }),
      fuzzParameters(2),
    );
  });
});
