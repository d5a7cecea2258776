import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { writeOciImage, type FileSpec, type LayerSpec } from '../../../../test/harness/oci-builder.ts';
import type { Analyzer } from '../analyzer/contract.ts';
import type { Fact } from '../analyzer/fact.ts';
import type { LayerRef } from '../analyzer/layer-ref.ts';
import { eicarTestString } from '../analyzer/malware/eicar.ts';
import { MalwareScanner } from '../analyzer/malware/malware-scanner.ts';
import { builtinAnalyzers } from '../analyzer/registry.ts';
import { SecretScanner } from '../analyzer/secret/scanner.ts';
import { openOciLayout } from '../image/local/oci-layout.ts';
import type { ImageSource } from '../image/types.ts';
import { decodeLayerCacheEntry, encodeLayerCacheEntry } from '../layer/layer-cache-entry.ts';
import { LayerRecorder, replayRecordedLayer } from '../layer/recorded-layer.ts';
import type { LayerEntry, LayerEntrySink } from '../layer/types.ts';
import { isDrydockError } from '../util/errors.ts';
import { layerCacheKey, type LayerCache } from './layer-cache.ts';
import type { ScanProgressEvent } from './progress.ts';
import type { ImageReport, ScanReport } from './result.ts';
import { scanSource, type ScanOptions } from './scan-source.ts';

/** The layer cache as a map, counting what the scan asks of it. */
class MemoryLayerCache implements LayerCache {
  readonly values = new Map<string, Uint8Array>();
  gets = 0;
  puts = 0;
  async get(key: string): Promise<Uint8Array | undefined> {
    this.gets++;
    return this.values.get(key);
  }
  async put(key: string, value: Uint8Array): Promise<void> {
    this.puts++;
    this.values.set(key, value);
  }
  /** Keys of whole-image entries (the others are layers). */
  imageKeys(): string[] {
    return [...this.values].filter(([, value]) => isImageEntry(value)).map(([key]) => key);
  }
  layerKeys(): string[] {
    return [...this.values].filter(([, value]) => !isImageEntry(value)).map(([key]) => key);
  }
  dropImages(): void {
    for (const key of this.imageKeys()) this.values.delete(key);
  }
}

function isImageEntry(value: Uint8Array): boolean {
  try {
    return 'survivingPaths' in (JSON.parse(gunzipSync(value).toString('utf8')) as object);
  } catch {
    return false;
  }
}

/** The source with every `openLayer` call noted (index per call), so a test sees what was downloaded. */
function countingSource(source: ImageSource, opened: number[]): ImageSource {
  return {
    describe: (signal) => source.describe(signal),
    select: async (platform, signal) => {
      const image = await source.select(platform, signal);
      return {
        metadata: image.metadata,
        openLayer: (index, layerSignal) => {
          opened.push(index);
          return image.openLayer(index, layerSignal);
        },
      };
    },
    close: () => source.close(),
  };
}

// Made-up credentials in the formats the secret rules follow (not real ones).
const gitlabToken = `glpat-${'Ab3dE5gH7jK9mN1pQ3sT'}`;
const awsKeyId = 'AKIAQWERTYUIOPASDFGH';
const now = new Date('2026-01-15T00:00:00Z');

const base: FileSpec[] = [
  { path: 'etc', type: 'dir' },
  {
    path: 'etc/os-release',
    content: 'ID=alpine\nNAME="Alpine Linux"\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n',
  },
  {
    path: 'lib/apk/db/installed',
    content:
      'P:musl\nV:1.2.5-r0\nA:x86_64\nL:MIT\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\n\n' +
      'P:busybox\nV:1.36.1-r29\nA:x86_64\nL:GPL-2.0-only\no:busybox\nF:bin\nR:busybox\n\n',
  },
  { path: 'lib/ld-musl-x86_64.so.1', content: 'not really a loader', mode: 0o755 },
  { path: 'bin/busybox', content: 'not really busybox', mode: 0o755 },
  { path: 'bin/sh', type: 'symlink', linkTarget: '/bin/busybox' },
  { path: 'bin/su', content: 'su', mode: 0o4755 },
  { path: 'bin/login', type: 'hardlink', linkTarget: 'bin/su' },
  { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\nbob:x:1000:1000::/home/bob:/bin/sh\n' },
  { path: 'etc/shadow', content: 'root:*:19000:0:99999:7:::\nbob::19000:0:99999:7:::\n', mode: 0o640 },
  { path: 'etc/base.env', content: `GITLAB_TOKEN=${gitlabToken}\n` },
  { path: 'tmp/scratch', content: 'x', mode: 0o777 },
];
const app: FileSpec[] = [
  {
    path: 'app/package.json',
    content: JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { leftpad: '^1.0.0' } }),
  },
  {
    path: 'app/node_modules/leftpad/package.json',
    content: JSON.stringify({ name: 'leftpad', version: '1.3.0', license: 'MIT' }),
  },
  { path: 'app/cache/old.bin', content: 'old' },
  { path: 'root/.aws/credentials', content: `[default]\naws_access_key_id = ${awsKeyId}\n` },
  { path: 'tmp/eicar.com', content: eicarTestString },
  { path: 'srv/kept-eicar.com', content: eicarTestString },
];
const cleanup: FileSpec[] = [
  { path: 'tmp/.wh.eicar.com', content: '' },
  { path: 'app/cache/.wh..wh..opq', content: '' },
  { path: 'app/cache/new.bin', content: 'new' },
  { path: 'etc/.wh.base.env', content: '' },
];
const other: FileSpec[] = [{ path: 'opt/other/readme.txt', content: 'another first layer\n' }];

const layer = (files: readonly FileSpec[], createdBy: string): LayerSpec => ({
  files,
  createdBy,
  compression: 'gzip',
});

let dir: string;
let secrets: SecretScanner;
let malware: MalwareScanner;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-layer-cache-'));
  // One image on the base layer, and a second with the same base layer one place higher.
  await writeOciImage(dir, 'first', {
    layers: [
      layer(base, 'ADD rootfs.tar /'),
      layer(app, 'COPY app /app'),
      layer(cleanup, 'RUN rm -rf /tmp/eicar.com'),
    ],
    config: { env: ['PATH=/usr/bin:/bin'], cmd: ['/bin/sh'] },
  });
  await writeOciImage(dir, 'second', {
    layers: [
      layer(other, 'ADD other /opt/other'),
      layer(base, 'ADD rootfs.tar /'),
      layer(cleanup, 'RUN cleanup'),
    ],
    config: { cmd: ['/bin/sh'] },
  });
  secrets = new SecretScanner({ config: {}, threads: 0 });
  malware = await MalwareScanner.open({ hashStorePath: null });
});

after(async () => {
  await secrets?.close();
  await malware?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function options(extra: Partial<ScanOptions> = {}): ScanOptions {
  return {
    signal: AbortSignal.timeout(60_000),
    secrets: { scanner: secrets },
    malware,
    baseline: { now, weakPasswords: false },
    compliance: { now },
    layerConcurrency: 2,
    ...extra,
  };
}

async function scan(
  tag: string,
  extra: Partial<ScanOptions> = {},
  opened: number[] = [],
): Promise<{ image: ImageReport; report: ScanReport; opened: number[] }> {
  const source = countingSource(openOciLayout(dir, tag), opened);
  try {
    const report = await scanSource(source, options(extra));
    const image = report.images[0];
    assert.ok(image);
    return { image, report, opened: opened.sort() };
  } finally {
    await source.close();
  }
}

/** The report less what may differ between two scans of the same image: times and the cache marks. */
function comparable(image: ImageReport): Omit<ImageReport, 'durationMs'> {
  const { durationMs: _, ...rest } = image;
  return {
    ...rest,
    layers: image.layers.map(({ fromCache: _cached, ...layerReport }) => layerReport),
  };
}

describe('scanning with a layer cache', () => {
  it('replays every layer on a second scan without opening a blob, with the same report', async () => {
    const uncached = await scan('first');
    const cache = new MemoryLayerCache();
    const firstRun = await scan('first', { layerCache: cache });
    assert.deepEqual(firstRun.opened, [0, 1, 2]);
    assert.equal(cache.puts, 4, 'every walked layer is stored, and the image');
    assert.equal(cache.layerKeys().length, 3);
    assert.equal(cache.imageKeys().length, 1);
    assert.ok(firstRun.image.layers.every((entry) => entry.fromCache === undefined));

    const events: ScanProgressEvent[] = [];
    const secondRun = await scan('first', { layerCache: cache, onProgress: (event) => events.push(event) });
    assert.deepEqual(secondRun.opened, [], 'no layer blob was opened');
    assert.equal(cache.puts, 4, 'hits are not stored again');
    assert.equal(cache.gets, 5, 'the first run asked for the image and its layers, the second for the image');
    assert.ok(secondRun.image.layers.every((entry) => entry.fromCache === true));
    assert.deepEqual(
      events
        .filter((event) => event.type === 'layer-start' || event.type === 'layer-done')
        .map((event) => `${event.type}:${event.index}`)
        .sort(),
      ['layer-done:0', 'layer-done:1', 'layer-done:2', 'layer-start:0', 'layer-start:1', 'layer-start:2'],
    );

    // The report is worth comparing: every part of the walk shows up in it.
    const report = uncached.image;
    assert.ok(report.packages.some((entry) => entry.name === 'musl'));
    assert.ok(report.packages.some((entry) => entry.name === 'leftpad'));
    assert.ok(
      (report.secrets ?? []).some((finding) => finding.path === 'etc/base.env' && !finding.inFinalFilesystem),
    );
    assert.deepEqual(
      (report.malware ?? []).map((finding) => [finding.path, finding.inFinalFilesystem]).sort(),
      [
        ['srv/kept-eicar.com', true],
        ['tmp/eicar.com', false],
      ],
    );
    // From a file of the walk, not only from the configuration.
    assert.ok(
      report.baseline?.checks.some(
        (check) => check.result === 'fail' && check.evidence.some((item) => item.location === 'etc/shadow'),
      ),
    );
    assert.deepEqual(report.files.setuid, ['bin/su']);

    assert.deepEqual(comparable(firstRun.image), comparable(report));
    assert.deepEqual(comparable(secondRun.image), comparable(report));

    // Without the image entry every layer is replayed into the filesystem: the same report again.
    cache.dropImages();
    const replayed = await scan('first', { layerCache: cache });
    assert.deepEqual(replayed.opened, []);
    assert.ok(replayed.image.layers.every((entry) => entry.fromCache === true));
    assert.deepEqual(comparable(replayed.image), comparable(report));
    assert.equal(cache.imageKeys().length, 1, 'the image is stored again');
  });

  it('reads a whole image from its entry alone, as for layers too big to record', async () => {
    const uncached = await scan('first');
    const cache = new MemoryLayerCache();
    await scan('first', { layerCache: cache });
    for (const key of cache.layerKeys()) cache.values.delete(key);
    const run = await scan('first', { layerCache: cache });
    assert.deepEqual(run.opened, []);
    assert.deepEqual(comparable(run.image), comparable(uncached.image));
  });

  it('keys the image on the programs its totals list: another prohibited program misses', async () => {
    const policy = {
      prohibitedSoftware: [
        {
          id: 'test-su',
          category: 'remote-access' as const,
          severity: 'high' as const,
          reason: 'a test entry',
          packages: {},
          binaries: ['su'],
        },
      ],
    };
    const cache = new MemoryLayerCache();
    await scan('first', { layerCache: cache });
    const uncached = await scan('first', { compliance: { now, policy } });
    const cached = await scan('first', { layerCache: cache, compliance: { now, policy } });
    assert.deepEqual(cached.opened, [], 'the layers are replayed');
    assert.equal(cache.imageKeys().length, 2);
    const rules = (image: ImageReport) => image.compliance?.findings.map((finding) => finding.rule);
    assert.ok(rules(cached.image)?.includes('prohibited:test-su'));
    assert.deepEqual(comparable(cached.image), comparable(uncached.image));
  });

  it('replays a shared layer at another index of another image', async () => {
    const cache = new MemoryLayerCache();
    await scan('first', { layerCache: cache });
    const uncached = await scan('second');
    const cached = await scan('second', { layerCache: cache });
    // The base layer and the cleanup layer are the first image's layers 0 and 2: only layer 0 is new.
    assert.deepEqual(cached.opened, [0]);
    assert.deepEqual(
      cached.image.layers.map((entry) => entry.fromCache ?? false),
      [false, true, true],
    );
    assert.deepEqual(comparable(cached.image), comparable(uncached.image));
    const musl = cached.image.packages.find((entry) => entry.name === 'musl');
    assert.equal(musl?.layer.index, 1);
    assert.equal(musl?.layer.createdBy, 'ADD rootfs.tar /');
    const secret = cached.image.secrets?.find((finding) => finding.path === 'etc/base.env');
    assert.equal(secret?.layer?.index, 1);
    assert.equal(secret?.layer?.digest, cached.image.layers[1]?.digest);
  });

  it('keys on the analyzers and their settings: other secret rules miss', async () => {
    const cache = new MemoryLayerCache();
    await scan('first', { layerCache: cache });
    const strict = new SecretScanner({
      config: { disabledRules: ['gitlab-personal-access-token'] },
      threads: 0,
    });
    try {
      const run = await scan('first', { layerCache: cache, secrets: { scanner: strict } });
      assert.deepEqual(run.opened, [0, 1, 2]);
      assert.equal(cache.layerKeys().length, 6);
      assert.equal(cache.imageKeys().length, 2);
    } finally {
      await strict.close();
    }
    // Without secrets or malware the analyzers differ again.
    const bare = await scan('first', { layerCache: cache, secrets: undefined, malware: undefined });
    assert.deepEqual(bare.opened, [0, 1, 2]);
  });

  it('treats unreadable entries as misses and stores the layers again', async () => {
    const cache = new MemoryLayerCache();
    const reference = await scan('first', { layerCache: cache });
    const [truncated, garbage, wrongFormat] = cache.layerKeys();
    const [image] = cache.imageKeys();
    assert.ok(truncated && garbage && wrongFormat && image);
    const stored = cache.values.get(image) ?? new Uint8Array();
    cache.values.set(truncated, (cache.values.get(truncated) ?? new Uint8Array()).subarray(0, 20));
    cache.values.set(garbage, new TextEncoder().encode('not gzip at all'));
    cache.values.set(wrongFormat, gzipSync(JSON.stringify({ format: 99 })));
    cache.values.set(image, stored.subarray(0, 20));
    const run = await scan('first', { layerCache: cache });
    assert.deepEqual(run.opened, [0, 1, 2]);
    assert.deepEqual(comparable(run.image), comparable(reference.image));
    const again = await scan('first', { layerCache: cache });
    assert.deepEqual(again.opened, [], 'the rewritten entries are read');

    // An image entry of another shape, or of another number of layers, is a miss too.
    const parsed = JSON.parse(gunzipSync(stored).toString('utf8')) as { layers: unknown[]; totals: object };
    const damaged = [
      { ...parsed, layers: parsed.layers.slice(1) },
      { ...parsed, totals: { ...parsed.totals, files: -1 } },
      { ...parsed, survivingLayers: ['x'] },
    ];
    for (const value of damaged) {
      cache.values.set(image, gzipSync(JSON.stringify(value)));
      for (const key of cache.layerKeys()) cache.values.delete(key);
      const miss = await scan('first', { layerCache: cache });
      assert.deepEqual(miss.opened, [0, 1, 2]);
      assert.deepEqual(comparable(miss.image), comparable(reference.image));
    }
  });

  it('a cache that fails is no cache: the scan goes on', async () => {
    const broken: LayerCache = {
      get: async () => {
        throw new Error('database down');
      },
      put: async () => {
        throw new Error('database down');
      },
    };
    const run = await scan('first', { layerCache: broken });
    assert.deepEqual(run.opened, [0, 1, 2]);
    assert.ok(run.image.packages.length > 0);
  });

  it('enforces the image-wide entry budget on replayed layers', async () => {
    const cache = new MemoryLayerCache();
    const warm = await scan('first', { layerCache: cache });
    const entries = warm.image.layers.reduce(
      (sum, entry) => sum + entry.stats.files + entry.stats.directories + entry.stats.symlinks,
      0,
    );
    // The limits are not part of the key: these scans replay, and fail as a walk would.
    const opened: number[] = [];
    await assert.rejects(
      scan('first', { layerCache: cache, limits: { maxFiles: Math.floor(entries / 2) } }, opened),
      (error: unknown) => isDrydockError(error) && error.code === 'too_many_files',
    );
    await assert.rejects(
      scan('first', { layerCache: cache, limits: { maxUncompressedImageBytes: 1024 } }, opened),
      (error: unknown) => isDrydockError(error) && error.code === 'image_too_large',
    );
    // The same from replayed layers, without the image entry.
    cache.dropImages();
    await assert.rejects(
      scan('first', { layerCache: cache, limits: { maxFiles: Math.floor(entries / 2) } }, opened),
      (error: unknown) => isDrydockError(error) && error.code === 'too_many_files',
    );
    assert.deepEqual(opened, []);
  });

  it('does not store a layer an analyzer failed on', async () => {
    const failing: Analyzer = {
      kind: 'each',
      id: 'test-failing',
      version: 1,
      wants: { paths: ['etc/os-release'], maxBytes: 1024 },
      analyze: () => {
        throw new Error('analyzer broke');
      },
    };
    const cache = new MemoryLayerCache();
    const run = await scan('first', { layerCache: cache, analyzers: [...builtinAnalyzers, failing] });
    assert.ok(run.image.diagnostics.some((entry) => entry.code === 'analyzer_failed'));
    assert.equal(cache.values.size, 2, 'the base layer (with the failure) is not stored, nor the image');
    assert.deepEqual(cache.imageKeys(), []);
  });
});

describe('layer cache entries', () => {
  const ref: LayerRef = { index: 4, digest: 'sha256:aa', diffId: 'sha256:bb', createdBy: 'RUN x' };
  const elsewhere: LayerRef = { index: 0, digest: 'sha256:cc', diffId: 'sha256:dd', createdBy: undefined };

  it('round-trip facts exactly, with the layer swapped for the replaying one', async () => {
    const facts = [
      {
        kind: 'file-stats',
        layer: ref,
        stats: {
          files: 1,
          directories: 0,
          symlinks: 0,
          hardlinks: 0,
          totalBytes: 3,
          whiteouts: 0,
          largest: [],
          setuid: [],
          setgid: [],
          worldWritable: [],
        },
      },
      {
        kind: 'os',
        layer: { ...ref },
        path: 'etc/os-release',
        source: 'os-release',
        os: {
          family: 'alpine',
          id: 'alpine',
          name: 'Alpine',
          versionId: undefined,
          versionCodename: undefined,
          prettyName: undefined,
          idLike: [],
        },
      },
    ] as const satisfies readonly Fact[];
    const odd = { kind: 'extra', layer: ref, bytes: Buffer.from([0, 1, 255]), raw: new Uint8Array([7]) };
    const keys = { $: 'dollar', $$x: 'two', ratio: Number.NaN, big: Number.POSITIVE_INFINITY };
    const result = {
      facts: [...facts, { ...odd, ...keys } as unknown as Fact],
      entries: 12,
      compressedBytes: 100,
      uncompressedBytes: 2048,
    };
    const recorded = {
      kinds: 'fdS',
      paths: ['a', 'b', 'c'],
      modes: [0o644, 0o755, 0o777],
      sizes: [3],
      links: ['a'],
    };
    const bytes = await encodeLayerCacheEntry({ result, recorded }, ref);
    const decoded = await decodeLayerCacheEntry(bytes, elsewhere);
    const expected = result.facts.map((fact) => ({ ...fact, layer: elsewhere }));
    assert.deepStrictEqual(decoded.result.facts, expected);
    assert.ok(Buffer.isBuffer((decoded.result.facts[2] as unknown as typeof odd).bytes));
    assert.deepStrictEqual(decoded.recorded, recorded);
    assert.equal(decoded.result.entries, 12);
  });

  it('refuse values that are not plain data', async () => {
    const fact = { kind: 'extra', layer: ref, when: new Map() } as unknown as Fact;
    const result = { facts: [fact], entries: 0, compressedBytes: 0, uncompressedBytes: 0 };
    const recorded = { kinds: '', paths: [], modes: [], sizes: [], links: [] };
    await assert.rejects(encodeLayerCacheEntry({ result, recorded }, ref), { code: 'uncacheable_value' });
  });

  it('record and replay filesystem operations at another index, up to a bound', () => {
    const calls: string[] = [];
    const sink: LayerEntrySink = {
      entry: (entry: LayerEntry, index) => calls.push(`${index} ${JSON.stringify(entry)}`),
      whiteout: (path, index) => calls.push(`${index} whiteout ${path}`),
      opaque: (path, index) => calls.push(`${index} opaque ${path}`),
    };
    const recorder = new LayerRecorder(sink, 10);
    recorder.entry({ path: 'a', type: 'file', size: 3, mode: 0o644 }, 2);
    recorder.entry({ path: 'b', type: 'symlink', size: 0, mode: 0o777, linkTarget: 'a' }, 2);
    recorder.entry({ path: 'c', type: 'symlink', size: 0, mode: 0o777, linkTarget: '' }, 2);
    recorder.whiteout('d', 2);
    recorder.opaque('e', 2);
    recorder.entry({ path: 'f', type: 'other', size: 0, mode: 0o600 }, 2);
    const walked = [...calls];
    const recorded = recorder.recorded();
    assert.ok(recorded);
    calls.length = 0;
    replayRecordedLayer(recorded, sink, 2);
    assert.deepEqual(calls, walked);
    calls.length = 0;
    replayRecordedLayer(recorded, sink, 7);
    assert.deepEqual(
      calls,
      walked.map((call) => call.replace(/^2 /, '7 ')),
    );

    const small = new LayerRecorder(sink, 2);
    for (const path of ['x', 'y', 'z']) small.whiteout(path, 0);
    assert.equal(small.overflowed, true);
    assert.equal(small.recorded(), undefined);
  });

  it('key on every analyzer, in any order, and on the blob digest as well as the diff id', () => {
    const input = {
      digest: 'sha256:11',
      diffId: 'sha256:22',
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      analyzers: [
        { id: 'npm', version: 1 },
        { id: 'secret', version: 1, configuration: 'abc' },
      ],
      walk: '[]',
    };
    const key = layerCacheKey(input);
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.equal(layerCacheKey({ ...input, analyzers: [...input.analyzers].reverse() }), key);
    assert.notEqual(layerCacheKey({ ...input, digest: 'sha256:12' }), key);
    assert.notEqual(layerCacheKey({ ...input, diffId: 'sha256:23' }), key);
    assert.notEqual(layerCacheKey({ ...input, analyzers: [{ id: 'npm', version: 2 }] }), key);
    assert.notEqual(
      layerCacheKey({
        ...input,
        analyzers: [input.analyzers[0]!, { id: 'secret', version: 1, configuration: 'abd' }],
      }),
      key,
    );
    assert.notEqual(layerCacheKey({ ...input, walk: '[1]' }), key);
  });
});
