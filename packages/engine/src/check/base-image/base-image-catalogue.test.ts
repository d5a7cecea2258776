import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { isDrydockError } from '../../util/errors.ts';
import { BaseImageCatalogue } from './base-image-catalogue.ts';
import type { NewBaseImageEntry } from './base-image-entry.ts';
import { defaultBaseImageCataloguePath } from './catalogue-path.ts';
import { matchSql } from './catalogue-schema.ts';
import { noFindings } from './finding-counts.ts';

const digestOf = (label: string): string => `sha256:${createHash('sha256').update(label).digest('hex')}`;
const layers = (...labels: string[]): string[] => labels.map((label) => digestOf(`layer ${label}`));
const amd64 = { os: 'linux', architecture: 'amd64' };
const arm64 = { os: 'linux', architecture: 'arm64' };

function entry(
  name: string,
  tag: string,
  diffIds: string[],
  extra: Partial<NewBaseImageEntry> = {},
): NewBaseImageEntry {
  return {
    name,
    tag,
    digest: digestOf(`manifest ${name}:${tag} ${diffIds.join()}`),
    platform: amd64,
    diffIds,
    addedBy: 'catalogued',
    ...extra,
  };
}

function assertTyped(reason: string) {
  return (error: unknown): boolean => {
    assert.ok(isDrydockError(error), `expected a DrydockError, got ${String(error)}`);
    assert.equal(error.reason, reason);
    return true;
  };
}

describe('BaseImageCatalogue', () => {
  let dir: string;
  let path: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drydock-base-images-'));
    path = join(dir, 'cache', 'base-images.sqlite');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  function fresh(name: string): BaseImageCatalogue {
    return BaseImageCatalogue.open(join(dir, `${name}.sqlite`), { create: true });
  }

  it('lives in the cache directory by default', () => {
    assert.equal(defaultBaseImageCataloguePath({ DRYDOCK_CACHE_DIR: '/c' }), '/c/base-images.sqlite');
    assert.match(defaultBaseImageCataloguePath({}), /\.cache\/drydock\/base-images\.sqlite$/);
  });

  it('is absent until created, then keeps its entries across reopening, every field intact', async () => {
    assert.equal(BaseImageCatalogue.open(path), undefined);
    assert.equal(BaseImageCatalogue.open(path, { readOnly: true }), undefined);
    const catalogue = BaseImageCatalogue.open(path, { create: true });
    try {
      assert.deepEqual(catalogue.list(), []);
      catalogue.add(
        entry('library/debian', '12', layers('debian12'), {
          addedBy: 'marked',
          addedAt: '2025-01-02T03:04:05.678Z',
          created: '2024-12-30T10:00:00Z',
          platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
          os: { family: 'debian', id: 'debian', version: '12' },
          findings: { critical: 1, high: 2, medium: 3, low: 4, unknown: 5 },
        }),
      );
    } finally {
      catalogue.close();
    }
    // No temporary file is left beside the catalogue.
    assert.deepEqual(await readdir(join(dir, 'cache')), ['base-images.sqlite']);

    const reopened = BaseImageCatalogue.open(path, { readOnly: true });
    assert.ok(reopened);
    try {
      assert.deepEqual(reopened.list(), [
        {
          name: 'library/debian',
          tag: '12',
          digest: digestOf(`manifest library/debian:12 ${layers('debian12').join()}`),
          platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
          diffIds: layers('debian12'),
          os: { family: 'debian', id: 'debian', version: '12' },
          addedAt: '2025-01-02T03:04:05.678Z',
          created: '2024-12-30T10:00:00.000Z',
          addedBy: 'marked',
          findings: { critical: 1, high: 2, medium: 3, low: 4, unknown: 5 },
        },
      ]);
      // A read-only catalogue refuses writes, typed.
      assert.throws(
        () => reopened.add(entry('library/alpine', '3', layers('alpine'))),
        assertTyped('base_image_catalogue_unwritable'),
      );
    } finally {
      reopened.close();
    }
    // Creating an existing catalogue opens it as it is.
    const again = BaseImageCatalogue.open(path, { create: true });
    try {
      assert.equal(again.list().length, 1);
    } finally {
      again.close();
    }
  });

  it('stores its schema version and refuses another one', async () => {
    const other = join(dir, 'other-version.sqlite');
    BaseImageCatalogue.open(other, { create: true }).close();
    const db = new DatabaseSync(other);
    assert.equal(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()?.['value'], '2');
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    assert.throws(() => BaseImageCatalogue.open(other), assertTyped('base_image_catalogue_schema'));

    // Some other SQLite file (no meta table) is not a catalogue either.
    const foreign = join(dir, 'foreign.sqlite');
    const foreignDb = new DatabaseSync(foreign);
    foreignDb.exec('CREATE TABLE t (x INTEGER)');
    foreignDb.close();
    assert.throws(() => BaseImageCatalogue.open(foreign), assertTyped('base_image_catalogue_unreadable'));
  });

  it('replaces the entry of the same name, tag and platform; other platforms and tags stay', () => {
    const catalogue = fresh('replace');
    try {
      catalogue.add(entry('library/node', '22', layers('node22-old'), { platform: arm64 }));
      catalogue.add(entry('library/node', '22', layers('node22-amd64')));
      catalogue.add(entry('library/node', '20', layers('node20')));
      // linux/arm64/v8 is linux/arm64: the same platform, so this replaces the first entry.
      catalogue.add(
        entry('library/node', '22', layers('node22-new'), {
          platform: { ...arm64, variant: 'v8' },
        }),
      );
      assert.deepEqual(
        catalogue.list().map((listed) => [listed.tag, listed.platform.architecture, listed.diffIds[0]]),
        [
          ['20', 'amd64', layers('node20')[0]],
          ['22', 'amd64', layers('node22-amd64')[0]],
          ['22', 'arm64', layers('node22-new')[0]],
        ],
      );
      assert.equal(catalogue.match(layers('node22-old')), undefined);
      assert.equal(catalogue.match(layers('node22-new'))?.entry.tag, '22');
    } finally {
      catalogue.close();
    }
  });

  it('removes one tag (all its platforms) or a whole repository', () => {
    const catalogue = fresh('remove');
    try {
      catalogue.addAll([
        entry('library/alpine', '3.20', layers('a320')),
        entry('library/alpine', '3.20', layers('a320-arm'), { platform: arm64 }),
        entry('library/alpine', '3.21', layers('a321')),
        entry('library/busybox', '1', layers('busybox')),
      ]);
      assert.equal(catalogue.remove('library/alpine', '3.20'), 2);
      assert.equal(catalogue.remove('library/alpine', '3.20'), 0);
      assert.deepEqual(
        catalogue.list().map((listed) => `${listed.name}:${listed.tag}`),
        ['library/alpine:3.21', 'library/busybox:1'],
      );
      assert.equal(catalogue.remove('library/alpine'), 1);
      assert.deepEqual(
        catalogue.list().map((listed) => listed.name),
        ['library/busybox'],
      );
      assert.equal(catalogue.match(layers('a321', 'app')), undefined);
    } finally {
      catalogue.close();
    }
  });

  it('lists entries by name, tag and platform', () => {
    const catalogue = fresh('list');
    try {
      catalogue.addAll([
        entry('library/ubuntu', '24.04', layers('u24')),
        entry('library/debian', 'bookworm', layers('bookworm'), { platform: arm64 }),
        entry('library/debian', 'bookworm', layers('bookworm')),
        entry('library/debian', 'bookworm-slim', layers('slim')),
      ]);
      assert.deepEqual(
        catalogue.list().map((listed) => `${listed.name}:${listed.tag} ${listed.platform.architecture}`),
        [
          'library/debian:bookworm amd64',
          'library/debian:bookworm arm64',
          'library/debian:bookworm-slim amd64',
          'library/ubuntu:24.04 amd64',
        ],
      );
    } finally {
      catalogue.close();
    }
  });

  describe('match', () => {
    let catalogue: BaseImageCatalogue;
    before(() => {
      catalogue = fresh('match');
      catalogue.addAll([
        // debian:12 is one layer; a python image adds three on top of it; an app image then builds on python.
        entry('library/debian', '12', layers('debian')),
        entry('library/python', '3.13', layers('debian', 'py1', 'py2', 'py3')),
        entry('library/python', '3.13', layers('debian-arm', 'py1-arm'), { platform: arm64 }),
        // Two names for the same layers: the newer entry wins the tie.
        entry('myorg/base', 'v1', layers('debian', 'hardening'), { addedAt: '2025-01-01T00:00:00.000Z' }),
        entry('myorg/base-renamed', 'v1', layers('debian', 'hardening'), {
          addedAt: '2025-06-01T00:00:00.000Z',
        }),
        entry('myorg/older-twin', 'v1', layers('debian', 'hardening'), {
          addedAt: '2024-06-01T00:00:00.000Z',
        }),
      ]);
    });
    after(() => catalogue.close());

    it('names the longest entry that is a prefix of the image', () => {
      const found = catalogue.match(layers('debian', 'py1', 'py2', 'py3', 'app1', 'app2'));
      assert.equal(`${found?.entry.name}:${found?.entry.tag}`, 'library/python:3.13');
      assert.equal(found?.layerCount, 4);
      assert.equal(found?.wholeImage, false);
      // Only debian's layer in common with python: debian it is.
      assert.equal(catalogue.match(layers('debian', 'py1', 'other'))?.entry.name, 'library/debian');
    });

    it('counts an entry that covers all the image layers, never one longer than the image', () => {
      const whole = catalogue.match(layers('debian', 'py1', 'py2', 'py3'));
      assert.equal(whole?.entry.name, 'library/python');
      assert.equal(whole?.wholeImage, true);
      // Three of python's four layers: python is longer than the image, so the base is debian.
      assert.equal(catalogue.match(layers('debian', 'py1', 'py2'))?.entry.name, 'library/debian');
    });

    it('needs the first layers equal: the same layers further up or in another order match nothing', () => {
      assert.equal(catalogue.match(layers('scratch', 'debian', 'py1', 'py2', 'py3')), undefined);
      assert.equal(catalogue.match(layers('py1', 'debian')), undefined);
      assert.equal(catalogue.match(layers('unknown')), undefined);
      assert.equal(catalogue.match([]), undefined);
    });

    it('breaks a tie by the newest entry', () => {
      assert.equal(catalogue.match(layers('debian', 'hardening', 'app'))?.entry.name, 'myorg/base-renamed');
    });

    it('keeps to the platform asked for (any variant when none is asked)', () => {
      const armImage = layers('debian-arm', 'py1-arm', 'app');
      assert.equal(catalogue.match(armImage)?.entry.platform.architecture, 'arm64');
      assert.equal(catalogue.match(armImage, arm64)?.entry.name, 'library/python');
      assert.equal(catalogue.match(armImage, { ...arm64, variant: 'v8' })?.entry.name, 'library/python');
      assert.equal(catalogue.match(armImage, amd64), undefined);
      assert.equal(catalogue.match(layers('debian', 'py1', 'py2', 'py3'), arm64), undefined);
    });
  });

  it('suggests other tags of the same base with fewer findings, best first', () => {
    const catalogue = fresh('better');
    try {
      const counts = (critical: number, high: number, medium = 0) => ({
        ...noFindings,
        critical,
        high,
        medium,
      });
      catalogue.addAll([
        entry('library/debian', '11', layers('d11'), { findings: counts(3, 10) }),
        entry('library/debian', '12.1', layers('d121'), { findings: counts(2, 8) }),
        entry('library/debian', '12.5', layers('d125'), {
          findings: counts(0, 4),
          addedAt: '2025-01-01T00:00:00.000Z',
        }),
        entry('library/debian', '12.6', layers('d126'), {
          findings: counts(0, 4),
          addedAt: '2025-02-01T00:00:00.000Z',
        }),
        entry('library/debian', '12.7', layers('d127'), { findings: counts(0, 1, 40) }),
        entry('library/debian', 'sid', layers('sid')),
        // Same findings, other platform or other repository: not suggested.
        entry('library/debian', '12.9', layers('d129arm'), { findings: noFindings, platform: arm64 }),
        entry('library/ubuntu', '24.04', layers('u24'), { findings: noFindings }),
      ]);
      // A tag pointing at the matched manifest is the same image, however its findings were counted.
      const current = entry('library/debian', '12.1', layers('d121'), { findings: counts(2, 8) });
      catalogue.add({ ...current, tag: '12', findings: noFindings, addedAt: '2020-01-01T00:00:00.000Z' });

      const match = catalogue.match(layers('d121', 'app'));
      assert.equal(match?.entry.tag, '12.1');
      assert.ok(match);
      assert.deepEqual(
        catalogue.betterTags(match, counts(2, 8)).map((better) => better.tag),
        ['12.7', '12.6', '12.5'],
      );
      // Judged against the counts given (the scan's own, with today's data), not the catalogued ones.
      assert.deepEqual(
        catalogue.betterTags(match, counts(0, 2)).map((better) => better.tag),
        ['12.7'],
      );
      assert.deepEqual(catalogue.betterTags(match, noFindings), []);
    } finally {
      catalogue.close();
    }
  });

  it('suggests only tags built later than the matched one, when both build times are known', () => {
    const catalogue = fresh('newer');
    try {
      const fewer = { ...noFindings, high: 1 };
      catalogue.addAll([
        entry('library/alpine', '3.19', layers('a319'), {
          findings: { ...noFindings, high: 5 },
          created: '2024-06-01T00:00:00Z',
        }),
        entry('library/alpine', '3.18', layers('a318'), { findings: fewer, created: '2023-11-30T00:00:00Z' }),
        entry('library/alpine', '3.20', layers('a320'), { findings: fewer, created: '2024-09-06T00:00:00Z' }),
        entry('library/alpine', 'edge', layers('edge'), { findings: fewer }),
      ]);
      const match = catalogue.match(layers('a319', 'app'));
      assert.ok(match);
      assert.deepEqual(
        catalogue
          .betterTags(match, { ...noFindings, high: 5 })
          .map((better) => better.tag)
          .sort(),
        ['3.20', 'edge'],
      );
    } finally {
      catalogue.close();
    }
  });

  it('rejects malformed entries, typed, and keeps a batch all or nothing', () => {
    const catalogue = fresh('invalid');
    try {
      const good = entry('library/debian', '12', layers('debian'));
      for (const bad of [
        { ...good, diffIds: [] },
        { ...good, diffIds: ['not a digest'] },
        { ...good, digest: 'latest' },
        { ...good, tag: '' },
        { ...good, addedAt: 'yesterday' },
        { ...good, findings: { ...noFindings, high: -1 } },
      ]) {
        assert.throws(() => catalogue.addAll([good, bad]), assertTyped('base_image_entry_invalid'));
      }
      assert.deepEqual(catalogue.list(), []);
    } finally {
      catalogue.close();
    }
  });

  it('matches among 5,000 entries through the chain-id index', () => {
    const catalogue = fresh('many');
    try {
      const entries: NewBaseImageEntry[] = [];
      for (let i = 0; i < 5000; i++) {
        // 1,000 bases of 1 to 5 layers, each under five names.
        const base = i % 1000;
        const depth = 1 + (base % 5);
        const diffIds = Array.from({ length: depth }, (_, layer) => digestOf(`base ${base} layer ${layer}`));
        entries.push(
          entry(`synthetic/base-${base}`, `tag-${Math.floor(i / 1000)}`, diffIds, {
            addedAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
          }),
        );
      }
      catalogue.addAll(entries);
      assert.equal(catalogue.list().length, 5000);

      // Base 734 has 5 layers: an image on all of them names it; one sharing only 3 names nothing.
      const base734 = Array.from({ length: 5 }, (_, layer) => digestOf(`base 734 layer ${layer}`));
      const found = catalogue.match([...base734, digestOf('app')]);
      assert.equal(found?.entry.name, 'synthetic/base-734');
      assert.equal(found?.entry.tag, 'tag-4'); // the newest of its five tags
      assert.equal(found?.layerCount, 5);
      assert.equal(catalogue.match([...base734.slice(0, 3), digestOf('app')]), undefined);
      for (let base = 0; base < 1000; base += 97) {
        const depth = 1 + (base % 5);
        const image = [
          ...Array.from({ length: depth }, (_, layer) => digestOf(`base ${base} layer ${layer}`)),
          digestOf('x'),
        ];
        assert.equal(catalogue.match(image)?.entry.name, `synthetic/base-${base}`);
      }
    } finally {
      catalogue.close();
    }
    // The match query searches the chain-id index, not the table.
    const db = new DatabaseSync(join(dir, 'many.sqlite'), { readOnly: true });
    try {
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${matchSql}`)
        .all('[]')
        .map((row) => String(row['detail']));
      assert.ok(
        plan.some((detail) => detail.includes('USING INDEX entries_by_chain')),
        plan.join('\n'),
      );
      assert.ok(!plan.some((detail) => detail === 'SCAN entries'), plan.join('\n'));
    } finally {
      db.close();
    }
  });

  it('reports a corrupt file as a typed error', async () => {
    const garbage = join(dir, 'garbage.sqlite');
    await writeFile(garbage, Buffer.alloc(8192, 'not a database '));
    assert.throws(() => BaseImageCatalogue.open(garbage), assertTyped('base_image_catalogue_unreadable'));

    // A real catalogue whose data pages were overwritten: opening may work, reading must fail typed.
    const damaged = join(dir, 'damaged.sqlite');
    const catalogue = BaseImageCatalogue.open(damaged, { create: true });
    catalogue.addAll(Array.from({ length: 300 }, (_, i) => entry('library/x', `t${i}`, layers(`x${i}`))));
    catalogue.close();
    const db = new DatabaseSync(damaged);
    const pageSize = Number(db.prepare('PRAGMA page_size').get()?.['page_size']);
    const pages = Number(db.prepare('PRAGMA page_count').get()?.['page_count']);
    db.close();
    assert.ok(pages > 4);
    const { open } = await import('node:fs/promises');
    const file = await open(damaged, 'r+');
    try {
      // Pages 1 (header) and 2 (meta) stay; everything after is noise.
      await file.write(Buffer.alloc(pageSize * (pages - 2), 0xa5), 0, pageSize * (pages - 2), pageSize * 2);
    } finally {
      await file.close();
    }
    assert.throws(() => {
      const opened = BaseImageCatalogue.open(damaged);
      try {
        opened?.list();
      } finally {
        opened?.close();
      }
    }, assertTyped('base_image_catalogue_unreadable'));
    assert.ok(existsSync(damaged));
  });
});
