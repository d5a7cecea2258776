/**
 * The benchmark's image generators (bench/image-tar.ts, bench/image-layout.ts): the tars they
 * stream are what GNU tar reads, the layouts they write are what the engine scans, and the same
 * input gives the same bytes. And where bench/run-all.ts puts a run's section in RESULTS.md.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { openImageSource, scanSource } from '@drydock/engine';
import { streamedImageLayout } from '../bench/image-layout.ts';
import { pseudoRandomChunks, tarStream, textChunks, type TarEntry } from '../bench/image-tar.ts';
import { withNewestSection } from '../bench/run-all-results.ts';

const run = promisify(execFile);

function sampleEntries(): TarEntry[] {
  return [
    { type: 'dir', path: 'etc' },
    {
      type: 'file',
      path: 'etc/os-release',
      size: 44,
      chunks: [Buffer.from('PRETTY_NAME="Bench"\nID=debian\nVERSION_ID=12\n')],
    },
    { type: 'dir', path: 'opt' },
    { type: 'file', path: 'opt/weights.bin', size: 3_000_001, chunks: pseudoRandomChunks('w', 3_000_001) },
    {
      type: 'file',
      path: 'opt/log.txt',
      size: 1_500_000,
      chunks: textChunks(1_500_000, (n) => `line ${n}\n`),
    },
    { type: 'file', path: 'opt/empty', size: 0, chunks: [] },
  ];
}

const work = await mkdtemp(join(tmpdir(), 'drydock-bench-test-'));
after(() => rm(work, { recursive: true, force: true }));

describe('bench image generators', () => {
  it('streams a tar that GNU tar lists and extracts byte for byte', async () => {
    const tar = await buffer(tarStream(sampleEntries()));
    assert.equal(tar.length % 512, 0);
    const file = join(work, 'sample.tar');
    await writeFile(file, tar);
    const { stdout } = await run('tar', ['-tvf', file]);
    const listed = stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/))
      .map((fields) => `${fields[0]?.[0]} ${fields[2]} ${fields[5]}`);
    assert.deepEqual(listed, [
      'd 0 etc/',
      '- 44 etc/os-release',
      'd 0 opt/',
      '- 3000001 opt/weights.bin',
      '- 1500000 opt/log.txt',
      '- 0 opt/empty',
    ]);
    const log = await run('tar', ['-xOf', file, 'opt/log.txt'], { maxBuffer: 1 << 22 });
    assert.ok(log.stdout.startsWith('line 0\nline 1\n'));
    assert.equal(log.stdout.length, 1_500_000);
  });

  it('gives the same bytes for the same seed and different bytes for another', async () => {
    const digest = (seed: string) => {
      const hash = createHash('sha256');
      for (const chunk of pseudoRandomChunks(seed, 2_500_000)) hash.update(chunk);
      return hash.digest('hex');
    };
    assert.equal(digest('a'), digest('a'));
    assert.notEqual(digest('a'), digest('b'));
  });

  it('refuses a file whose chunks do not add up to its declared size', async () => {
    const entries: TarEntry[] = [{ type: 'file', path: 'short', size: 10, chunks: [Buffer.from('abc')] }];
    await assert.rejects(buffer(tarStream(entries)), /wrote 3 bytes, declared 10/);
  });

  it('writes a layout the engine scans, the same blobs on a second build', async () => {
    const layers = [{ createdBy: 'generated', open: () => tarStream(sampleEntries()) }];
    const first = await streamedImageLayout(join(work, 'one'), 'sample', layers);
    const second = await streamedImageLayout(join(work, 'two'), 'sample', layers);
    const indexOf = async (layout: string) => readFile(join(layout, 'index.json'), 'utf8');
    assert.equal(await indexOf(first), await indexOf(second));

    const source = await openImageSource(`oci:${first}:sample`);
    try {
      const report = await scanSource(source, { signal: AbortSignal.timeout(60_000) });
      const image = report.images[0];
      assert.equal(image?.os?.prettyName, 'Bench');
      assert.equal(image?.layers.length, 1);
      assert.equal(image?.files.files, 4);
    } finally {
      await source.close();
    }
  });
});

describe('run-all results file', () => {
  it('puts the newest section right below the title and keeps the older ones', () => {
    const before = '# Benchmark results\n\n## 2026-11-26 — old\n\nold text\n';
    assert.equal(
      withNewestSection(before, '## 2026-11-27 — new\n\nnew text\n\n'),
      '# Benchmark results\n\n## 2026-11-27 — new\n\nnew text\n\n## 2026-11-26 — old\n\nold text\n',
    );
  });

  it('starts a file that has only its title', () => {
    assert.equal(withNewestSection('# Benchmark results\n', '## new\n'), '# Benchmark results\n\n## new\n');
    assert.equal(withNewestSection('', '## new\n'), '# Benchmark results\n\n## new\n');
  });
});
