import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AnalyzedFile, Analyzer } from '../analyzer/contract.ts';
import type { DiagnosticFact, Fact, FileStats } from '../analyzer/fact.ts';
import { DrydockError } from '../util/errors.ts';
import { ImageFilesystem } from './image-filesystem.ts';
import {
  freshBudget,
  generatedStream,
  gzip,
  gzipBomb,
  manyEmptyFilesTar,
  packLayer,
  streamOf,
  ustarHeader,
  walkInput,
  zstd,
  type FixtureEntry,
  type InputOptions,
} from './tar-fixtures.ts';
import { dataBlocks, endMarker, extendedHeader, paxRecord, rawFile, rawHeader } from './tar-raw.ts';
import type { LayerWalkResult } from './types.ts';
import { walkLayer } from './walk-layer.ts';

const plainType = 'application/vnd.oci.image.layer.v1.tar';
const gzipType = 'application/vnd.oci.image.layer.v1.tar+gzip';
const zstdType = 'application/vnd.oci.image.layer.v1.tar+zstd';

async function walkEntries(
  entries: readonly FixtureEntry[],
  options: InputOptions = {},
): Promise<LayerWalkResult> {
  return walkLayer(walkInput(streamOf(gzip(await packLayer(entries))), options));
}

async function walkFailure(promise: Promise<unknown>): Promise<DrydockError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DrydockError, `expected a DrydockError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the walk to fail');
}

/**
 * A full collection, for the test that tells live memory from garbage. Twice: the backing stores
 * of dead buffers are swept concurrently, and the next collection completes that sweep.
 */
function exposedGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

function statsOf(result: LayerWalkResult): FileStats {
  const fact = result.facts.find((candidate) => candidate.kind === 'file-stats');
  assert.ok(fact?.kind === 'file-stats');
  return fact.stats;
}

function diagnostics(facts: readonly Fact[]): DiagnosticFact[] {
  return facts.filter((fact): fact is DiagnosticFact => fact.kind === 'diagnostic');
}

function codes(facts: readonly Fact[]): string[] {
  return diagnostics(facts).map((fact) => `${fact.code}:${fact.path}`);
}

function listing(fs: ImageFilesystem): string[] {
  return [...fs.entries()].map(([path, entry]) => `${path}:${entry.type}@${entry.layer}`).sort();
}

const layerEntries: readonly FixtureEntry[] = [
  { name: './', type: 'directory' },
  { name: './etc/', type: 'directory' },
  { name: './etc/os-release', content: 'ID=debian\nVERSION_ID=12\n' },
  { name: './var/lib/dpkg/status', content: 'Package: libc6\n' },
  { name: './var/lib/dpkg/info/libc6.list', content: '/lib/x86_64-linux-gnu/libc.so.6\n' },
  { name: './opt/app/lib/a.jar', content: 'PK-a' },
  { name: './usr/bin/tool', content: 'ELF', mode: 0o4755 },
  { name: './usr/share/doc/big.txt', content: Buffer.alloc(300_000, 1) },
  { name: './usr/bin/tool2', type: 'link', linkname: './usr/bin/tool' },
  { name: './usr/bin/sh', type: 'symlink', linkname: 'dash' },
  { name: './dev/null', type: 'character-device' },
  { name: './run/pipe', type: 'fifo' },
  { name: `./deep/${'n'.repeat(150)}/file.jar`, content: 'PK-long' },
];

describe('walkLayer', () => {
  it('routes each wanted file once to every analyzer that wants it', async () => {
    const seen = new Map<string, AnalyzedFile[]>();
    const record = (id: string, file: AnalyzedFile): void => {
      seen.set(id, [...(seen.get(id) ?? []), file]);
    };
    const each = (id: string, wants: Analyzer['wants']): Analyzer => ({
      kind: 'each',
      id,
      version: 1,
      wants,
      analyze: (file, context) => {
        record(id, file);
        return [
          {
            kind: 'diagnostic',
            layer: context.layer,
            path: file.path,
            source: id,
            code: 'parse_error',
            message: 'seen',
          },
        ];
      },
    });
    const analyzers: Analyzer[] = [
      each('os', { paths: ['etc/os-release'], basenames: ['os-release'], maxBytes: 4096 }),
      each('jar', { suffixes: ['.jar'], maxBytes: 4096 }),
      each('setuid', { match: (_path, _size, mode) => (mode & 0o4000) !== 0, maxBytes: 4096 }),
      each('bin', { prefixes: ['usr/bin/'], maxBytes: 4096 }),
      {
        kind: 'group',
        id: 'dpkg',
        version: 1,
        wants: { paths: ['var/lib/dpkg/status'], prefixes: ['var/lib/dpkg/info/'], maxBytes: 4096 },
        analyzeGroup: (files) => {
          for (const file of files) record('dpkg', file);
          return [];
        },
      },
      each('doc', { prefixes: ['usr/share/doc/'], maxBytes: 1000 }),
    ];
    const result = await walkEntries(layerEntries, { analyzers, index: 4 });
    const paths = (id: string): string[] => (seen.get(id) ?? []).map((file) => file.path);
    assert.deepEqual(paths('os'), ['etc/os-release']);
    assert.deepEqual(paths('jar'), ['opt/app/lib/a.jar', `deep/${'n'.repeat(150)}/file.jar`]);
    assert.deepEqual(paths('setuid'), ['usr/bin/tool']);
    assert.deepEqual(paths('bin'), ['usr/bin/tool', 'usr/bin/tool2']);
    assert.deepEqual(paths('dpkg'), ['var/lib/dpkg/status', 'var/lib/dpkg/info/libc6.list']);
    assert.deepEqual(paths('doc'), []);
    assert.equal(seen.get('os')?.[0]?.content.toString(), 'ID=debian\nVERSION_ID=12\n');
    // The setuid and bin analyzers share one read of usr/bin/tool; its hardlink gets the same bytes.
    const [viaSetuid] = seen.get('setuid') ?? [];
    const [viaBin, viaLink] = seen.get('bin') ?? [];
    assert.equal(viaSetuid?.content, viaBin?.content);
    assert.equal(viaLink?.content, viaBin?.content);
    assert.equal(viaBin?.mode, 0o104755);
    assert.deepEqual(
      codes(result.facts).filter((code) => !code.startsWith('parse_error')),
      ['file_too_large:usr/share/doc/big.txt'],
    );
    assert.equal(result.facts.filter((fact) => fact.kind === 'diagnostic' && fact.source === 'os').length, 1);
    assert.equal(result.facts[0]?.layer.index, 4);

    const stats = statsOf(result);
    assert.equal(stats.files, 7);
    assert.equal(stats.directories, 1);
    assert.equal(stats.symlinks, 1);
    assert.equal(stats.hardlinks, 1);
    assert.deepEqual(stats.setuid, ['usr/bin/tool']);
    assert.deepEqual(stats.largest[0], { path: 'usr/share/doc/big.txt', size: 300_000 });
    assert.equal(result.entries, layerEntries.length);
  });

  it('reads the same layer from gzip, zstd and plain blobs, mislabelled or not', async () => {
    const tar = await packLayer(layerEntries);
    const blobs = [
      { data: gzip(tar), mediaType: gzipType },
      { data: zstd(tar), mediaType: zstdType },
      { data: tar, mediaType: plainType },
      { data: gzip(tar), mediaType: zstdType },
      { data: zstd(tar), mediaType: plainType },
      { data: tar, mediaType: gzipType },
    ];
    const results = [];
    for (const { data, mediaType } of blobs) {
      const fs = new ImageFilesystem();
      const result = await walkLayer(walkInput(streamOf(data, 1000), { mediaType, sink: fs }));
      assert.equal(result.compressedBytes, data.length);
      assert.equal(result.uncompressedBytes, tar.length);
      results.push({ stats: statsOf(result), listing: listing(fs) });
    }
    for (const result of results) assert.deepEqual(result, results[0]);
    assert.ok(results[0]?.listing.includes('dev/null:other@0'));
  });

  it('applies whiteouts and opaque directories across three layers', async () => {
    const fs = new ImageFilesystem();
    const budget = freshBudget();
    const layers: FixtureEntry[][] = [
      [
        { name: 'etc/passwd', content: 'root' },
        { name: 'etc/shadow', content: 'x' },
        { name: 'var/cache/apt/a.bin', content: 'a' },
        { name: 'var/cache/apt/b.bin', content: 'b' },
        { name: 'opt/tool/bin/tool', content: 't' },
      ],
      [
        { name: 'var/cache/apt/c.bin', content: 'c' },
        { name: 'etc/.wh.shadow' },
        { name: 'opt/.wh.tool' },
        { name: 'var/cache/apt/.wh..wh..opq' },
        { name: '.wh..wh.plnk/1.2', content: 'aufs' },
      ],
      [
        { name: 'etc/motd', content: 'hi' },
        { name: 'etc/.wh.motd' },
        { name: 'var/cache/apt/.wh.c.bin' },
        { name: 'opt/tool/bin/tool', content: 'new' },
      ],
    ];
    const whiteouts: number[] = [];
    for (const [index, entries] of layers.entries()) {
      const result = await walkEntries(entries, { sink: fs, budget, index });
      whiteouts.push(statsOf(result).whiteouts);
    }
    assert.deepEqual(whiteouts, [0, 3, 2]);
    assert.equal(budget.files, 14);
    assert.deepEqual(listing(fs), [
      'etc/motd:file@2',
      'etc/passwd:file@0',
      'etc:directory@2',
      'opt/tool/bin/tool:file@2',
      'opt/tool/bin:directory@2',
      'opt/tool:directory@2',
      'opt:directory@2',
      'var/cache/apt:directory@1',
      'var/cache:directory@1',
      'var:directory@1',
    ]);
  });

  it('clamps hostile names and links inside the root and reports them', async () => {
    const fs = new ImageFilesystem();
    const seen: string[] = [];
    const analyzer: Analyzer = {
      kind: 'each',
      id: 'passwd',
      version: 1,
      wants: { basenames: ['passwd', 'shadow', 'escape'], maxBytes: 100 },
      analyze: (file) => {
        seen.push(`${file.path}=${file.content.toString()}`);
        return [];
      },
    };
    const result = await walkEntries(
      [
        { name: '../../../etc/passwd', content: 'evil' },
        { name: '/etc/shadow', content: 'abs' },
        { name: 'usr/lib/escape', type: 'symlink', linkname: '../../../../etc/passwd' },
        { name: 'usr/lib/abs', type: 'symlink', linkname: '/etc/shadow' },
        { name: 'usr/lib/hard-escape', type: 'link', linkname: '../../../etc/passwd' },
        { name: 'loop/a', type: 'symlink', linkname: 'b' },
        { name: 'loop/b', type: 'symlink', linkname: '../loop/a' },
        { name: 'escape', type: 'link', linkname: '../../etc/passwd' },
      ],
      { sink: fs, analyzers: [analyzer] },
    );
    assert.deepEqual(codes(result.facts), [
      'path_traversal:etc/passwd',
      'absolute_path:etc/shadow',
      'link_escape:usr/lib/escape',
      'link_escape:usr/lib/hard-escape',
      'link_escape:escape',
    ]);
    assert.deepEqual(seen, ['etc/passwd=evil', 'etc/shadow=abs', 'escape=evil']);
    const escape = fs.resolve('usr/lib/escape');
    assert.equal(escape.kind === 'found' && escape.path, 'etc/passwd');
    const hard = fs.resolve('usr/lib/hard-escape');
    assert.equal(hard.kind === 'found' && hard.path, 'etc/passwd');
    assert.equal(fs.lookup('usr/lib/hard-escape')?.linkTarget, 'etc/passwd');
    assert.equal(fs.resolve('loop/a').kind, 'loop');
    assert.deepEqual(
      [...fs.entries()].map(([path]) => path).filter((path) => path.includes('..')),
      [],
    );
  });

  it('skips names that are too long or too deep, and caps repeated diagnostics', async () => {
    const entries: FixtureEntry[] = [
      { name: `a/${'x'.repeat(300)}`, content: 'long' },
      { name: 'b/'.repeat(40) + 'deep', content: 'deep' },
      ...Array.from({ length: 150 }, (_, i) => ({ name: `../escape-${i}`, content: '' })),
    ];
    const result = await walkEntries(entries, { limits: { maxPathLength: 200, maxPathDepth: 32 } });
    const found = diagnostics(result.facts);
    assert.equal(found.filter((fact) => fact.code === 'path_too_long').length, 2);
    const traversal = found.filter((fact) => fact.code === 'path_traversal');
    assert.equal(traversal.length, 101);
    assert.match(traversal.at(-1)?.message ?? '', /^50 more path_traversal/);
    assert.equal(statsOf(result).files, 150);
  });

  it('reads GNU, pax and v7 entries, and records sparse files without their content', async () => {
    const tar = Buffer.concat([
      extendedHeader('g', paxRecord('comment', 'made by git archive')),
      extendedHeader('L', `opt/${'l'.repeat(150)}/os-release\0`),
      rawFile('ignored', 'ID=gnu\n', { format: 'gnu' }),
      rawFile('etc/os-release', 'ID=v7\n', { format: 'v7', typeflag: '\0' }),
      rawHeader({ name: 'var/', format: 'v7', typeflag: '\0' }),
      rawHeader({ name: 'var/disk.img', typeflag: 'S', size: 512, realSize: 1 << 30, format: 'gnu' }),
      dataBlocks('sparse data'),
      extendedHeader('x', paxRecord('path', 'usr/lib/os-release')),
      rawFile('PaxHeader', 'ID=pax\n'),
      endMarker,
    ]);
    const seen: string[] = [];
    const analyzer: Analyzer = {
      kind: 'each',
      id: 'os',
      version: 1,
      wants: { basenames: ['os-release', 'disk.img'], maxBytes: 100 },
      analyze: (file) => {
        seen.push(`${file.path}=${file.content.toString().trim()}`);
        return [];
      },
    };
    const fs = new ImageFilesystem();
    const result = await walkLayer(
      walkInput(streamOf(tar, 700), { mediaType: plainType, analyzers: [analyzer], sink: fs }),
    );
    assert.deepEqual(seen, [
      `opt/${'l'.repeat(150)}/os-release=ID=gnu`,
      'etc/os-release=ID=v7',
      'usr/lib/os-release=ID=pax',
    ]);
    assert.deepEqual(codes(result.facts), ['unsupported_entry:var/disk.img']);
    assert.equal(fs.lookup('var')?.type, 'directory');
    assert.equal(fs.lookup('var/disk.img')?.size, 1 << 30);
    assert.deepEqual(statsOf(result).largest[0], { path: 'var/disk.img', size: 1 << 30 });
    assert.equal(result.entries, 5);
  });

  it('treats an empty blob as an empty layer', async () => {
    for (const data of [Buffer.alloc(0), gzip(Buffer.alloc(0)), Buffer.alloc(1024)]) {
      const result = await walkLayer(walkInput(streamOf(data)));
      assert.equal(result.entries, 0);
      assert.equal(statsOf(result).files, 0);
    }
  });

  it('fails garbage with malformed_image and a truncated blob with download_failed', async () => {
    const garbage = await walkFailure(
      walkLayer(walkInput(streamOf(Buffer.from('this is not a tar file at all '.repeat(40))))),
    );
    assert.deepEqual([garbage.code, garbage.reason], ['malformed_image', 'corrupt_tar']);

    const tar = await packLayer(layerEntries);
    const zipped = gzip(tar);
    const truncated = await walkFailure(
      walkLayer(walkInput(streamOf(zipped.subarray(0, zipped.length >> 1)))),
    );
    assert.deepEqual([truncated.code, truncated.reason], ['download_failed', 'truncated']);

    const cutTar = await walkFailure(
      walkLayer(walkInput(streamOf(tar.subarray(0, 700)), { mediaType: plainType })),
    );
    assert.deepEqual([cutTar.code, cutTar.reason], ['malformed_image', 'corrupt_tar']);
  });

  it('stops a gzip bomb of 2 GiB with layer_too_large under default limits', async () => {
    const bomb = gzipBomb(2 * 1024 ** 3);
    const error = await walkFailure(walkLayer(walkInput(bomb)));
    assert.deepEqual([error.code, error.reason], ['layer_too_large', 'compression_ratio']);
    assert.ok(bomb.destroyed);
  });

  it('streams an unwanted file without buffering it', async () => {
    const size = 256 * 1024 * 1024;
    const chunkBytes = 1024 * 1024;
    // Live memory is what a full collection leaves: dead chunks awaiting the collector say nothing
    // about buffering, and how many of them pile up depends on how fast the walk consumes them.
    const collectGarbage = exposedGc();
    let sent = -1;
    let peakLive = 0;
    const stream = generatedStream(() => {
      sent++;
      if (sent === 0) return ustarHeader('big.bin', size);
      if (sent % 16 === 0) {
        collectGarbage();
        peakLive = Math.max(peakLive, process.memoryUsage().arrayBuffers - before);
      }
      // Fresh chunks, so anything kept would show as external memory.
      if (sent <= size / chunkBytes) return Buffer.alloc(chunkBytes, 7);
      if (sent === size / chunkBytes + 1) {
        const tail = Buffer.concat([
          ustarHeader('etc/os-release', 3),
          Buffer.from('ID='),
          Buffer.alloc(509),
          Buffer.alloc(1024),
        ]);
        return tail;
      }
      return null;
    });
    const seen: string[] = [];
    collectGarbage();
    const before = process.memoryUsage().arrayBuffers;
    const result = await walkLayer(
      walkInput(stream, {
        mediaType: plainType,
        analyzers: [
          {
            kind: 'each',
            id: 'os',
            version: 1,
            wants: { basenames: ['os-release'], maxBytes: 100 },
            analyze: (file) => {
              seen.push(file.path);
              return [];
            },
          },
        ],
      }),
    );
    assert.deepEqual(seen, ['etc/os-release']);
    assert.equal(result.uncompressedBytes, size + 512 * 3 + 1024);
    // The decompressor's 4 MiB read-ahead and a chunk or two in flight: nowhere near the file's size.
    assert.ok(
      peakLive < 16 * chunkBytes,
      `live external memory grew by ${Math.round(peakLive / 1024 / 1024)} MB`,
    );
  });

  it('walks a million empty files in bounded memory', async () => {
    // The walker keeps nothing per entry; the merged view's own size is tested in image-filesystem.test.ts.
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const result = await walkLayer(walkInput(manyEmptyFilesTar(1_000_000), { mediaType: plainType }));
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    assert.equal(result.entries, 1_000_000);
    const stats = statsOf(result);
    assert.equal(stats.files, 1_000_000);
    assert.equal(stats.largest.length, 50);
    assert.ok(
      peak - before < 200 * 1024 * 1024,
      `rss grew by ${Math.round((peak - before) / 1024 / 1024)} MB`,
    );
  });

  it('fails with too_many_files past the image-wide entry limit', async () => {
    const budget = freshBudget();
    const source = manyEmptyFilesTar(1_000_000);
    const error = await walkFailure(
      walkLayer(walkInput(source, { mediaType: plainType, budget, limits: { maxFiles: 500_000 } })),
    );
    assert.equal(error.code, 'too_many_files');
    assert.equal(budget.files, 500_001);
    assert.ok(source.destroyed);
  });

  it('rejects promptly on abort, even while an analyzer hangs', async () => {
    const controller = new AbortController();
    const hang: Analyzer = {
      kind: 'each',
      id: 'hang',
      version: 1,
      wants: { basenames: ['os-release'], maxBytes: 1000 },
      analyze: () => {
        setImmediate(() =>
          controller.abort(new DrydockError('timed_out', 'deadline', { reason: 'deadline' })),
        );
        return new Promise(() => undefined);
      },
    };
    const source = streamOf(gzip(await packLayer(layerEntries)));
    const error = await walkFailure(
      walkLayer(walkInput(source, { analyzers: [hang], signal: controller.signal })),
    );
    assert.deepEqual([error.code, error.reason], ['timed_out', 'deadline']);
    assert.ok(source.destroyed);

    const endless = generatedStream(() => Buffer.alloc(64 * 1024));
    const plain = new AbortController();
    setTimeout(() => plain.abort(), 50);
    const aborted = await walkFailure(
      walkLayer(walkInput(endless, { mediaType: plainType, signal: plain.signal })),
    );
    assert.equal(aborted.code, 'aborted');
    assert.ok(endless.destroyed);
  });
});
