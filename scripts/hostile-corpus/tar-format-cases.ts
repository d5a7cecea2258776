/**
 * Hostile tar and compression streams: gzip and zstd bombs, huge extended headers and GNU long
 * names, sparse files, device nodes, truncated archives and streams, deep nesting, and names
 * with control characters.
 */
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { gzipBomb, ustarHeader } from '../../packages/engine/src/layer/tar-fixtures.ts';
import { ociMediaTypes } from '../../test/harness/oci-builder.ts';
import { failure, ociSource, result, type CorpusCase, type CorpusContext } from './corpus-case.ts';
import { writeHostileImage, writeStreamBlob, type HostileImage } from './layout-writer.ts';
import {
  alpineOsRelease,
  dataBlocks,
  extendedHeader,
  file,
  paxRecord,
  rawFile,
  rawHeader,
  sized,
  tarOf,
} from './tar-entries.ts';

const MiB = 1024 * 1024;

/** Names that try to drive a terminal: a newline, ESC sequences (clear screen, colours, a title), C1 CSI. */
export const controlNames = [
  'ctl/new\nline',
  'ctl/\u001b[2J\u001b[31mred',
  'ctl/\u001b]0;title\u0007bell',
  'ctl/\u009b31mcsi',
  'ctl/tab\there\rreturn',
] as const;

/** A zstd bomb: a header for a 3 GiB file, then frames of 64 MiB of zeros (concatenated frames are one stream). */
function zstdBomb(): Buffer {
  const first = zstdCompressSync(
    Buffer.concat([ustarHeader('bomb', 3 * 1024 * MiB), Buffer.alloc(MiB - 512)]),
  );
  const frame = zstdCompressSync(Buffer.alloc(64 * MiB));
  return Buffer.concat([first, ...Array.from({ length: 48 }, () => frame)]);
}

export async function tarFormatCases(context: CorpusContext): Promise<CorpusCase[]> {
  const cases: CorpusCase[] = [];
  const add = async (entry: CorpusCase, image: HostileImage): Promise<void> => {
    await writeHostileImage(join(context.directory, entry.id), image);
    cases.push(entry);
  };
  const ratioFailure = failure('layer_too_large', 'compression_ratio');

  const gzipDirectory = join(context.directory, 'gzip-bomb');
  const gzipStored = await writeStreamBlob(gzipDirectory, gzipBomb(3 * 1024 * MiB));
  await add(
    {
      id: 'gzip-bomb',
      attack: '[1 of 11] decompression bomb: 3 GiB of zeros in about 3 MB of gzip',
      source: ociSource('gzip-bomb'),
      expected: ratioFailure,
    },
    { layers: [{ stored: gzipStored, mediaType: ociMediaTypes.layerGzip }] },
  );
  await add(
    {
      id: 'zstd-bomb',
      attack: '[1 of 11] decompression bomb: 3 GiB of zeros in zstd frames',
      source: ociSource('zstd-bomb'),
      expected: ratioFailure,
    },
    { layers: [{ blob: zstdBomb(), mediaType: ociMediaTypes.layerZstd }] },
  );

  const corruptTar = failure('malformed_image', 'corrupt_tar');
  await add(
    {
      id: 'pax-header-over-limit',
      attack: 'huge tar headers: a pax extended header that declares 1 GiB',
      source: ociSource('pax-header-over-limit'),
      expected: corruptTar,
    },
    {
      layers: [
        {
          tar: tarOf(
            rawHeader({ name: 'PaxHeaders/huge', typeflag: 'x', size: 1024 * MiB }),
            dataBlocks(paxRecord('path', 'x')),
          ),
        },
      ],
    },
  );
  await add(
    {
      id: 'pax-record-length-lies',
      attack: 'huge pax records: a record whose length field claims 99,999,999 bytes',
      source: ociSource('pax-record-length-lies'),
      expected: corruptTar,
    },
    { layers: [{ tar: tarOf(extendedHeader('x', '99999999 path=short\n'), rawFile('victim', 'x')) }] },
  );
  await add(
    {
      id: 'gnu-long-name-over-limit',
      attack: 'GNU long names beyond limits: a ././@LongLink of 2 MiB',
      source: ociSource('gnu-long-name-over-limit'),
      expected: corruptTar,
    },
    { layers: [{ tar: tarOf(extendedHeader('L', 'n/'.repeat(MiB)), rawFile('short', 'x')) }] },
  );
  await add(
    {
      id: 'gnu-long-name-too-deep',
      attack: 'GNU long names: a 200,000-character name (under the header limit, over the path limits)',
      source: ociSource('gnu-long-name-too-deep'),
      expected: result({ os: 'alpine 3.19.1', diagnostics: ['path_too_long'], files: 1 }),
    },
    {
      layers: [
        {
          tar: tarOf(
            extendedHeader('L', `${'n/'.repeat(100_000)}file`),
            rawFile('short', 'x'),
            file('etc/os-release', alpineOsRelease),
          ),
        },
      ],
    },
  );
  await add(
    {
      id: 'deep-nesting',
      attack: 'deeply nested directories: 10,000 levels (skipped), 257 levels (skipped), 256 levels (kept)',
      source: ociSource('deep-nesting'),
      expected: result({
        os: null,
        diagnostics: ['path_too_long'],
        largest: [`${'d/'.repeat(255)}kept`],
        files: 1,
      }),
    },
    {
      layers: [
        {
          tar: tarOf(
            file(`${'d/'.repeat(9_999)}deepest`, 'x'),
            file(`${'d/'.repeat(256)}too-deep`, 'x'),
            file(`${'d/'.repeat(255)}kept`, sized(100)),
          ),
        },
      ],
    },
  );
  await add(
    {
      id: 'sparse-file',
      attack: '[1 of 11] sparse files: a GNU sparse entry declaring 10 GiB with 512 bytes of data',
      source: ociSource('sparse-file'),
      expected: result({
        os: null,
        diagnostics: ['unsupported_entry'],
        largest: ['holes', 'after'],
        files: 2,
      }),
    },
    {
      layers: [
        {
          tar: tarOf(
            rawHeader({ name: 'holes', typeflag: 'S', size: 512, realSize: 10 * 1024 * MiB, format: 'gnu' }),
            dataBlocks(sized(512, 'h')),
            rawFile('after', sized(50)),
          ),
        },
      ],
    },
  );
  await add(
    {
      id: 'device-nodes',
      attack: 'device nodes: character and block devices, a fifo, and an unknown type flag',
      source: ociSource('device-nodes'),
      expected: result({ os: null, diagnostics: ['unsupported_entry'], files: 1 }),
    },
    {
      layers: [
        {
          tar: tarOf(
            rawHeader({ name: 'dev/null', typeflag: '3', mode: 0o666 }),
            rawHeader({ name: 'dev/sda', typeflag: '4', mode: 0o660 }),
            rawHeader({ name: 'run/fifo', typeflag: '6' }),
            rawHeader({ name: 'odd/entry', typeflag: 'Z' }),
            rawFile('etc/hostname', 'box\n'),
          ),
        },
      ],
    },
  );
  const truncatedTar = Buffer.concat([
    rawFile('etc/os-release', alpineOsRelease),
    rawHeader({ name: 'cut', size: 4096 }),
    sized(1000),
  ]);
  await add(
    {
      id: 'tar-truncated-last-block',
      attack: 'tar with a truncated last block: the last entry declares 4096 bytes and 1000 follow',
      source: ociSource('tar-truncated-last-block'),
      expected: corruptTar,
    },
    { layers: [{ tar: truncatedTar, compression: 'none' }] },
  );
  await add(
    {
      id: 'tar-without-end-marker',
      attack: 'tar that ends on a header boundary without its two zero blocks (read as ended)',
      source: ociSource('tar-without-end-marker'),
      expected: result({ os: 'alpine 3.19.1', diagnostics: [], files: 1 }),
    },
    { layers: [{ tar: rawFile('etc/os-release', alpineOsRelease) }] },
  );
  const whole = gzipSync(tarOf(file('etc/os-release', alpineOsRelease), file('big', sized(200_000, 'q'))));
  await add(
    {
      id: 'gzip-truncated',
      attack: '[1 of 11] truncated gzip: the stream stops half way (its digest is of the truncated bytes)',
      source: ociSource('gzip-truncated'),
      expected: failure('download_failed', 'truncated'),
    },
    {
      layers: [{ blob: whole.subarray(0, Math.floor(whole.length / 2)), mediaType: ociMediaTypes.layerGzip }],
    },
  );
  const names = tarOf(
    ...controlNames.map((name, index) => file(name, sized(300 + index))),
    // Invalid UTF-8 (0xff 0xfe) in a plain header name, and a NUL inside a pax path record.
    rawHeader({
      name: 'ctl/bad-utf8-XX',
      size: 0,
      patch: [{ offset: 13, bytes: Buffer.from([0xff, 0xfe]) }],
    }),
    Buffer.concat([extendedHeader('x', paxRecord('path', 'ctl/pax\u0000nul')), rawFile('placeholder', 'n')]),
  );
  await add(
    {
      id: 'control-characters-in-names',
      attack:
        'file names with control characters: newline, ESC sequences, C1 CSI, tab/CR, invalid UTF-8, NUL in pax',
      source: ociSource('control-characters-in-names'),
      expected: result({ os: null, diagnostics: [], largest: [...controlNames], files: 7 }),
      checkTable: true,
    },
    { layers: [{ tar: names }] },
  );
  return cases;
}
