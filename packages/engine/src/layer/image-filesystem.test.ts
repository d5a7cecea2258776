import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { ImageFilesystem, maxLinkHops } from './image-filesystem.ts';
import type { EntryType, LayerEntry } from './types.ts';

function file(path: string, size = 1, mode = 0o644): LayerEntry {
  return { path, type: 'file', size, mode };
}
function dir(path: string): LayerEntry {
  return { path, type: 'directory', size: 0, mode: 0o755 };
}
function symlink(path: string, linkTarget: string): LayerEntry {
  return { path, type: 'symlink', size: 0, mode: 0o777, linkTarget };
}
function hardlink(path: string, linkTarget: string): LayerEntry {
  return { path, type: 'hardlink', size: 0, mode: 0o644, linkTarget };
}

function listing(fs: ImageFilesystem): string[] {
  return [...fs.entries()].map(([path, entry]) => `${path}:${entry.type}@${entry.layer}`).sort();
}

describe('ImageFilesystem', () => {
  it('merges three layers with whiteouts and opaque directories', () => {
    const fs = new ImageFilesystem();
    for (const entry of [
      dir('etc'),
      file('etc/passwd'),
      file('etc/shadow'),
      dir('var/cache'),
      file('var/cache/a'),
      file('var/cache/b'),
      file('opt/tool/bin'),
    ]) {
      fs.entry(entry, 0);
    }
    // Layer 1: removes a file and a whole directory, makes var/cache opaque but adds to it (in any order).
    fs.entry(file('var/cache/c'), 1);
    fs.whiteout('etc/shadow', 1);
    fs.whiteout('opt/tool', 1);
    fs.opaque('var/cache', 1);
    fs.entry(file('var/cache/d'), 1);
    // Layer 2: a whiteout of something this same layer adds survives; a lower file goes.
    fs.entry(file('etc/motd', 5), 2);
    fs.whiteout('etc/motd', 2);
    fs.whiteout('var/cache/c', 2);
    fs.whiteout('does/not/exist', 2);
    assert.deepEqual(listing(fs), [
      'etc/motd:file@2',
      'etc/passwd:file@0',
      'etc:directory@2',
      'opt:directory@0',
      'var/cache/d:file@1',
      'var/cache:directory@1',
      'var:directory@1',
    ]);
  });

  it('keeps same-layer contents when a directory is whited out', () => {
    const fs = new ImageFilesystem();
    fs.entry(file('a/b/old'), 0);
    fs.entry(file('a/b/new'), 1);
    fs.whiteout('a/b', 1);
    assert.deepEqual(listing(fs), ['a/b/new:file@1', 'a/b:directory@1', 'a:directory@1']);
  });

  it('replaces a directory by a file and a file by a directory', () => {
    const fs = new ImageFilesystem();
    fs.entry(file('x/inner/deep'), 0);
    fs.entry(file('y'), 0);
    fs.entry(file('x', 7), 1);
    fs.entry(file('y/child'), 1);
    assert.deepEqual(listing(fs), ['x:file@1', 'y/child:file@1', 'y:directory@1']);
    assert.equal(fs.lookup('x')?.size, 7);
    assert.equal(fs.lookup('x/inner'), undefined);
  });

  it('resolves symlinks inside the root only', () => {
    const fs = new ImageFilesystem();
    fs.entry(file('etc/passwd', 10), 0);
    fs.entry(file('usr/bin/python3.11', 20), 0);
    fs.entry(symlink('usr/bin/python3', 'python3.11'), 0);
    fs.entry(symlink('usr/bin/python', '/usr/bin/python3'), 0);
    fs.entry(symlink('usr/lib/escape', '../../../../../etc/passwd'), 0);
    fs.entry(symlink('usr/lib/abs-escape', '/../../etc/passwd'), 0);
    fs.entry(symlink('lib', 'usr/lib'), 0);
    fs.entry(symlink('dangling', 'nowhere/at/all'), 0);

    const python = fs.resolve('usr/bin/python');
    assert.equal(python.kind, 'found');
    assert.equal(python.kind === 'found' && python.path, 'usr/bin/python3.11');
    assert.equal(python.kind === 'found' && python.entry.size, 20);

    for (const path of ['usr/lib/escape', 'lib/escape', '/lib/abs-escape', '../../lib/./escape']) {
      const resolved = fs.resolve(path);
      assert.equal(resolved.kind, 'found', path);
      assert.equal(resolved.kind === 'found' && resolved.path, 'etc/passwd', path);
    }
    assert.deepEqual(fs.resolve('dangling'), { kind: 'missing', path: 'nowhere' });
    assert.deepEqual(fs.resolve('etc/passwd/x'), { kind: 'missing', path: 'etc/passwd' });
    assert.equal(fs.lookup('usr/bin/python')?.type, 'symlink');
    assert.equal(fs.lookup('usr/bin/python')?.linkTarget, '/usr/bin/python3');
    const parent = fs.resolve('lib/..');
    assert.equal(parent.kind === 'found' && parent.path, 'usr');
    const root = fs.resolve('../../..');
    assert.equal(root.kind === 'found' && root.path, '');
    assert.equal(root.kind === 'found' && root.entry.type, 'directory');
  });

  it('reports symlink loops instead of spinning', () => {
    const fs = new ImageFilesystem();
    fs.entry(symlink('a', 'b'), 0);
    fs.entry(symlink('b', '/a'), 0);
    fs.entry(symlink('self', './self'), 0);
    fs.entry(symlink('deep', 'deep/deep/deep'), 0);
    assert.equal(fs.resolve('a').kind, 'loop');
    assert.equal(fs.resolve('self/x').kind, 'loop');
    assert.equal(fs.resolve('deep').kind, 'loop');
    // A chain of exactly maxLinkHops links still resolves.
    const chain = new ImageFilesystem();
    chain.entry(file('target'), 0);
    for (let i = 0; i < maxLinkHops; i++)
      chain.entry(symlink(`l${i}`, i === maxLinkHops - 1 ? 'target' : `l${i + 1}`), 0);
    assert.equal(chain.resolve('l0').kind, 'found');
    chain.entry(symlink('extra', 'l0'), 0);
    assert.equal(chain.resolve('extra').kind, 'loop');
  });

  it('follows hardlinks to their target', () => {
    const fs = new ImageFilesystem();
    fs.entry(file('usr/bin/perl5.36', 300), 0);
    fs.entry(hardlink('usr/bin/perl', 'usr/bin/perl5.36'), 0);
    fs.entry(hardlink('usr/bin/ghost', 'usr/bin/gone'), 0);
    assert.equal(fs.lookup('usr/bin/perl')?.type, 'hardlink');
    const perl = fs.resolve('usr/bin/perl');
    assert.equal(perl.kind === 'found' && perl.entry.size, 300);
    assert.equal(fs.resolve('usr/bin/ghost').kind, 'missing');
    assert.equal(fs.totals().hardlinks, 2);
  });

  it('totals the final image with the largest files and special modes', () => {
    const fs = new ImageFilesystem();
    for (let i = 0; i < 120; i++) fs.entry(file(`data/f${i}`, i * 10), 0);
    fs.entry(file('usr/bin/sudo', 5, 0o4755), 0);
    fs.entry(file('usr/bin/wall', 5, 0o2755), 1);
    fs.entry(file('tmp/open', 5, 0o666), 1);
    fs.entry(symlink('tmp/link', 'open'), 1);
    fs.entry({ path: 'dev/null', type: 'other', size: 0, mode: 0o666 }, 1);
    fs.entry(file('big', 2 ** 36), 2);
    fs.whiteout('data/f119', 2);
    const totals = fs.totals({ largest: 3, listCap: 10 });
    assert.equal(totals.files, 123);
    assert.equal(totals.symlinks, 1);
    assert.equal(totals.others, 1);
    assert.equal(totals.directories, 5);
    assert.deepEqual(totals.largest, [
      { path: 'big', size: 2 ** 36, layer: 2 },
      { path: 'data/f118', size: 1180, layer: 0 },
      { path: 'data/f117', size: 1170, layer: 0 },
    ]);
    assert.deepEqual(totals.setuid, ['usr/bin/sudo']);
    assert.deepEqual(totals.setgid, ['usr/bin/wall']);
    assert.deepEqual(totals.worldWritable, ['tmp/open']);
    assert.equal(totals.totalBytes, 2 ** 36 + 15 + (118 * 119 * 10) / 2);
  });

  it('rejects a layer index it cannot pack', () => {
    const fs = new ImageFilesystem();
    assert.throws(() => fs.entry(file('x'), 512), RangeError);
    fs.entry(file('x', 2 ** 39 + 3, 0o6777), 511);
    assert.deepEqual(fs.lookup('x'), {
      type: 'file',
      size: 2 ** 39 + 3,
      layer: 511,
      setuid: true,
      setgid: true,
      worldWritable: true,
    });
  });

  it('holds a million files in well under 150 MB', () => {
    const collect = gcFunction();
    collect();
    const before = process.memoryUsage().heapUsed;
    const fs = new ImageFilesystem();
    for (let i = 0; i < 1_000_000; i++) {
      // Names built like tar names: a fresh string per entry, sliced by the walker.
      const name = `./usr/lib/python3/dist-packages/package_${i % 5000}/module_file_${i}.py`;
      fs.entry({ path: name.slice(2), type: 'file', size: i % 70_000, mode: 0o644 }, i % 3);
    }
    collect();
    const used = process.memoryUsage().heapUsed - before;
    assert.equal(fs.totals().files, 1_000_000);
    assert.ok(used < 120 * 1024 * 1024, `trie of a million files uses ${Math.round(used / 1024 / 1024)} MB`);
  });
});

/** `global.gc` without the command-line flag. */
function gcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  return typeof gc === 'function' ? () => void gc() : () => undefined;
}

describe('ImageFilesystem against a flat reference model', () => {
  type Kind = 'file' | 'directory' | 'symlink';
  type Op =
    | { readonly op: 'add'; readonly path: string; readonly kind: Kind }
    | { readonly op: 'whiteout'; readonly path: string }
    | { readonly op: 'opaque'; readonly path: string };

  /** A flat map of path → (type, layer), with prefix deletes: the overlay rules in their plainest form. */
  class Model {
    readonly entries = new Map<string, { type: EntryType; layer: number }>();

    add(path: string, type: Kind, layer: number): void {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) this.#touchDir(parts.slice(0, i).join('/'), layer);
      const existing = this.entries.get(path);
      if (type === 'directory') {
        this.#touchDir(path, layer);
        return;
      }
      if (existing?.type === 'directory') this.#deleteUnder(path, () => true);
      this.entries.set(path, { type, layer });
    }

    whiteout(path: string, layer: number): void {
      const existing = this.entries.get(path);
      if (existing === undefined) return;
      if (existing.layer < layer) this.entries.delete(path);
      this.#deleteUnder(path, (entry) => entry.layer < layer);
    }

    opaque(path: string, layer: number): void {
      if (path !== '') this.add(path, 'directory', layer);
      this.#deleteUnder(path, (entry) => entry.layer < layer);
    }

    listing(): string[] {
      return [...this.entries].map(([path, { type, layer }]) => `${path}:${type}@${layer}`).sort();
    }

    #touchDir(path: string, layer: number): void {
      const existing = this.entries.get(path);
      if (existing?.type === 'directory') {
        existing.layer = Math.max(existing.layer, layer);
        return;
      }
      this.entries.set(path, { type: 'directory', layer });
    }

    #deleteUnder(path: string, when: (entry: { type: EntryType; layer: number }) => boolean): void {
      const prefix = path === '' ? '' : `${path}/`;
      for (const [key, entry] of this.entries)
        if (key.startsWith(prefix) && key !== path && when(entry)) this.entries.delete(key);
    }
  }

  const pathArb = fc
    .array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 })
    .map((parts) => parts.join('/'));
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        op: fc.constant('add' as const),
        path: pathArb,
        kind: fc.constantFrom<Kind>('file', 'directory', 'symlink'),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('whiteout' as const), path: pathArb }) },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant('opaque' as const), path: fc.oneof(pathArb, fc.constant('')) }),
    },
  );

  it('applies random layer sequences exactly as the model does', () => {
    fc.assert(
      fc.property(fc.array(fc.array(opArb, { maxLength: 12 }), { minLength: 1, maxLength: 5 }), (layers) => {
        const fs = new ImageFilesystem();
        const model = new Model();
        layers.forEach((ops, layer) => {
          for (const op of ops) {
            switch (op.op) {
              case 'add': {
                const entry: LayerEntry =
                  op.kind === 'symlink'
                    ? symlink(op.path, 'x')
                    : op.kind === 'directory'
                      ? dir(op.path)
                      : file(op.path);
                fs.entry(entry, layer);
                model.add(op.path, op.kind, layer);
                break;
              }
              case 'whiteout':
                fs.whiteout(op.path, layer);
                model.whiteout(op.path, layer);
                break;
              case 'opaque':
                fs.opaque(op.path, layer);
                model.opaque(op.path, layer);
                break;
            }
          }
        });
        assert.deepEqual(listing(fs), model.listing());
      }),
      { numRuns: 500 },
    );
  });
});
