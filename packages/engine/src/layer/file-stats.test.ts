import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FileStatsCollector } from './file-stats.ts';
import { LargestFiles } from './largest-files.ts';
import { layerRef } from './tar-fixtures.ts';

describe('FileStatsCollector', () => {
  it('counts entries by type and lists special modes of regular files only', () => {
    const stats = new FileStatsCollector({ largest: 2, listCap: 2 });
    stats.add({ path: 'usr', type: 'directory', size: 0, mode: 0o2775 });
    stats.add({ path: 'usr/bin/sudo', type: 'file', size: 100, mode: 0o4755 });
    stats.add({ path: 'usr/bin/ssh-agent', type: 'file', size: 50, mode: 0o2755 });
    stats.add({ path: 'usr/bin/both', type: 'file', size: 5, mode: 0o6755 });
    stats.add({ path: 'usr/bin/third', type: 'file', size: 1, mode: 0o4755 });
    stats.add({ path: 'tmp/open', type: 'file', size: 7, mode: 0o666 });
    stats.add({ path: 'tmp/link', type: 'symlink', size: 0, mode: 0o777, linkTarget: 'open' });
    stats.add({ path: 'tmp/hard', type: 'hardlink', size: 0, mode: 0o644, linkTarget: 'tmp/open' });
    stats.add({ path: 'dev/null', type: 'other', size: 0, mode: 0o666 });
    stats.addWhiteout();
    const fact = stats.fact(layerRef(2));
    assert.equal(fact.kind, 'file-stats');
    assert.equal(fact.layer.index, 2);
    assert.deepEqual(fact.stats, {
      files: 5,
      directories: 1,
      symlinks: 1,
      hardlinks: 1,
      totalBytes: 163,
      whiteouts: 1,
      largest: [
        { path: 'usr/bin/sudo', size: 100 },
        { path: 'usr/bin/ssh-agent', size: 50 },
      ],
      setuid: ['usr/bin/sudo', 'usr/bin/both'],
      setgid: ['usr/bin/ssh-agent', 'usr/bin/both'],
      worldWritable: ['tmp/open'],
    });
  });
});

describe('LargestFiles', () => {
  it('keeps the N largest of any sequence, biggest first', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 1000 }), { maxLength: 200 }),
        fc.integer({ min: 0, max: 20 }),
        (sizes, n) => {
          const heap = new LargestFiles<{ path: string; size: number }>(n);
          sizes.forEach((size, i) => heap.add({ path: `f${String(i).padStart(3, '0')}`, size }));
          const expected = [...sizes].sort((a, b) => b - a).slice(0, n);
          assert.deepEqual(
            heap.sorted().map((file) => file.size),
            expected,
          );
        },
      ),
    );
  });
});
