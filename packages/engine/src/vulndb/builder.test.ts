import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { DrydockError, isDrydockError } from '../util/errors.ts';
import { importFeeds } from './builder.ts';
import type { FeedItem, OpenedFeed } from './feed-item.ts';
import { resolveFeedLimits } from './feed-limits.ts';
import { importSource } from './import-source.ts';
import type { OsvRecord } from './osv-record.ts';
import { openVulnerabilityDatabase } from './reader.ts';
import { databasePageSize, schemaVersion } from './schema.ts';

let work: string;
const limits = resolveFeedLimits();

function record(id: string, fields: Partial<OsvRecord> = {}): OsvRecord {
  return {
    id,
    modified: '2024-01-01T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'PyPI', name: 'Django' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }],
      },
    ],
    ...fields,
  };
}

function memoryFeed(source: string, values: readonly unknown[], failAfter?: number): OpenedFeed {
  return {
    source,
    format: 'jsonl',
    async *items(): AsyncGenerator<FeedItem> {
      for (const [index, value] of values.entries()) {
        if (failAfter !== undefined && index === failAfter) {
          throw new DrydockError('download_failed', 'connection reset', { reason: 'network' });
        }
        yield { kind: 'json', value, location: `${source}:${index + 1}` };
      }
    },
    fingerprint: () => `sha256:${source}`,
    close: async () => undefined,
  };
}

function ids(records: readonly OsvRecord[]): string[] {
  return records.map((r) => r.id);
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-builder-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('database build', () => {
  it('imports records, normalises names, hides withdrawn records, keeps aliases', async () => {
    const path = join(work, 'basic.sqlite');
    const result = await importFeeds(path, [
      {
        name: 'pypi',
        feed: memoryFeed('pypi', [
          record('PYSEC-1', { aliases: ['CVE-2024-1', 'GHSA-aaaa'] }),
          record('PYSEC-2', { withdrawn: '2024-02-01T00:00:00Z', aliases: ['CVE-2024-2'] }),
          record('PYSEC-3', {
            affected: [
              { package: { ecosystem: 'PyPI', name: 'Zope.Interface' } },
              { package: { ecosystem: 'PyPI', name: 'zope_interface' } },
            ],
          }),
          { id: 'PYSEC-4' },
          { id: 'PYSEC-5', modified: 7 },
          'not an object',
        ]),
      },
    ]);
    const feed = result.feeds[0];
    assert.equal(feed?.status, 'imported');
    if (feed?.status !== 'imported') return;
    assert.deepEqual([feed.records, feed.invalid, feed.withdrawn], [3, 3, 1]);
    assert.deepEqual(
      feed.invalidExamples.map((example) => example.location),
      ['pypi:4', 'pypi:5', 'pypi:6'],
    );
    assert.match(feed.invalidExamples[0]?.reason ?? '', /^modified: /);
    const db = openVulnerabilityDatabase(path);
    try {
      assert.deepEqual(ids(db.recordsFor('PyPI', 'django')), ['PYSEC-1']);
      assert.deepEqual(ids(db.recordsFor('PyPI', 'DJANGO')), ['PYSEC-1']);
      assert.deepEqual(ids(db.recordsFor('PyPI', 'zope-interface')), ['PYSEC-3']);
      assert.deepEqual(ids(db.recordsFor('PyPI', 'Zope__Interface')), ['PYSEC-3']);
      assert.deepEqual(ids(db.recordsFor('npm', 'django')), []);
      // One batched lookup answers every asked spelling, each with both entries of PYSEC-3.
      const candidates = db.candidatesFor('PyPI', ['Zope__Interface', 'zope-interface', 'django', 'absent']);
      assert.deepEqual(
        [...candidates]
          .map(([name, found]) => `${name}=${found.map((c) => `${c.id}:${c.entries.length}`).join(',')}`)
          .sort(),
        ['Zope__Interface=PYSEC-3:2', 'django=PYSEC-1:1', 'zope-interface=PYSEC-3:2'],
      );
      // An entry without severity fields of its own has the advisory's.
      assert.equal(candidates.get('django')?.[0]?.entries[0]?.severity, undefined);
      const summaries = db.summariesOf(['PYSEC-1', 'PYSEC-3', 'PYSEC-2', 'ABSENT']);
      assert.deepEqual([...summaries.keys()].sort(), ['PYSEC-1', 'PYSEC-2', 'PYSEC-3']);
      assert.deepEqual(summaries.get('PYSEC-1')?.aliases, ['CVE-2024-1', 'GHSA-aaaa']);
      assert.deepEqual(summaries.get('PYSEC-1')?.severity, { level: 'unknown', source: 'none' });
      assert.equal(db.recordById('PYSEC-2')?.withdrawn, '2024-02-01T00:00:00Z');
      assert.deepEqual(db.advisoriesForAlias('CVE-2024-1'), ['PYSEC-1']);
      assert.deepEqual(db.advisoriesForAlias('CVE-2024-2'), []);
      assert.deepEqual(db.recordById('PYSEC-1')?.aliases, ['CVE-2024-1', 'GHSA-aaaa']);
      const status = db.status();
      assert.equal(status.schemaVersion, schemaVersion);
      assert.equal(status.records, 3);
      assert.deepEqual(
        status.feeds.map((f) => [f.feed, f.records, f.invalid, f.withdrawn, f.fingerprint]),
        [['pypi', 3, 3, 1, 'sha256:pypi']],
      );
    } finally {
      db.close();
    }
  });

  it('matches releases by the ecosystem rule and names exactly elsewhere', async () => {
    const path = join(work, 'releases.sqlite');
    const affected = (ecosystem: string, name: string) => ({ package: { ecosystem, name } });
    await importFeeds(path, [
      {
        name: 'distros',
        feed: memoryFeed('distros', [
          record('D-1', { affected: [affected('Debian:12', 'openssl')] }),
          record('D-2', { affected: [affected('Debian:1', 'openssl')] }),
          record('D-3', { affected: [affected('Ubuntu:22.04:LTS', 'openssl')] }),
          record('D-4', { affected: [affected('Ubuntu:22.04', 'openssl')] }),
          record('D-5', {
            affected: [affected('Alpine:v3.18', 'openssl'), affected('Alpine:v3.19', 'openssl')],
          }),
          record('D-6', {
            affected: [affected('npm', 'Lodash'), affected('Packagist', 'Symfony/HTTP-Kernel')],
          }),
        ]),
      },
    ]);
    const db = openVulnerabilityDatabase(path);
    try {
      assert.deepEqual(ids(db.recordsFor('Debian:12', 'openssl')), ['D-1']);
      assert.deepEqual(ids(db.recordsFor('Debian:1', 'openssl')), ['D-2']);
      assert.deepEqual(ids(db.recordsFor('Ubuntu:22.04', 'openssl')), ['D-3', 'D-4']);
      assert.deepEqual(ids(db.recordsFor('Ubuntu:22.04:LTS', 'openssl')), ['D-3']);
      assert.deepEqual(ids(db.recordsFor('Alpine', 'openssl')), ['D-5']);
      assert.deepEqual(ids(db.recordsFor('Alpine:v3.1', 'openssl')), []);
      assert.deepEqual(ids(db.recordsFor('npm', 'lodash')), []);
      assert.deepEqual(ids(db.recordsFor('npm', 'Lodash')), ['D-6']);
      assert.deepEqual(ids(db.recordsFor('Packagist', 'symfony/http-kernel')), ['D-6']);
      assert.deepEqual(
        db.ecosystems().map((e) => e.ecosystem),
        [
          'Alpine:v3.18',
          'Alpine:v3.19',
          'Debian:1',
          'Debian:12',
          'Packagist',
          'Ubuntu:22.04',
          'Ubuntu:22.04:LTS',
          'npm',
        ],
      );
    } finally {
      db.close();
    }
  });

  it('re-importing a feed replaces what it brought; records other feeds still carry stay', async () => {
    const path = join(work, 'replace.sqlite');
    await importFeeds(path, [
      {
        name: 'a',
        feed: memoryFeed('a', [record('X-1'), record('X-2'), record('SHARED', { summary: 'from a' })]),
      },
      {
        name: 'b',
        feed: memoryFeed('b', [
          record('Y-1'),
          record('SHARED', { summary: 'from b', modified: '2023-01-01T00:00:00Z' }),
        ]),
      },
    ]);
    const summaryOf = (id: string): string | undefined => {
      const db = openVulnerabilityDatabase(path);
      try {
        return db.recordById(id)?.summary;
      } finally {
        db.close();
      }
    };
    assert.equal(summaryOf('SHARED'), 'from a', 'the latest modified wins');
    await importFeeds(path, [
      {
        name: 'a',
        feed: memoryFeed('a', [record('X-1', { summary: 'new', modified: '2024-05-01T00:00:00Z' })]),
      },
    ]);
    const db = openVulnerabilityDatabase(path);
    try {
      assert.deepEqual(ids(db.recordsFor('PyPI', 'django')), ['SHARED', 'X-1', 'Y-1']);
      assert.equal(db.recordById('X-1')?.summary, 'new');
      assert.equal(db.recordById('X-2'), undefined);
      assert.equal(db.recordById('SHARED')?.summary, 'from b', 'falls back to the feed that still has it');
      assert.deepEqual(
        db.status().feeds.map((f) => [f.feed, f.records]),
        [
          ['a', 1],
          ['b', 2],
        ],
      );
    } finally {
      db.close();
    }
    await importFeeds(path, [{ name: 'b', feed: memoryFeed('b', []) }]);
    const emptied = openVulnerabilityDatabase(path);
    try {
      assert.deepEqual(ids(emptied.recordsFor('PyPI', 'django')), ['X-1']);
    } finally {
      emptied.close();
    }
  });

  it('rolls back a feed that fails midway; the other feeds of the build land', async () => {
    const path = join(work, 'rollback.sqlite');
    await importFeeds(path, [{ name: 'a', feed: memoryFeed('a', [record('A-1'), record('A-2')]) }]);
    const result = await importFeeds(path, [
      { name: 'a', feed: memoryFeed('a', [record('A-3'), record('A-4')], 1) },
      { name: 'b', feed: memoryFeed('b', [record('B-1')]) },
    ]);
    assert.deepEqual(
      result.feeds.map((f) => f.status),
      ['failed', 'imported'],
    );
    const failed = result.feeds[0];
    assert.ok(failed?.status === 'failed' && failed.error.reason === 'network');
    const db = openVulnerabilityDatabase(path);
    try {
      assert.deepEqual(ids(db.recordsFor('PyPI', 'django')), ['A-1', 'A-2', 'B-1']);
    } finally {
      db.close();
    }
  });

  it('leaves the file untouched when every feed fails', async () => {
    const path = join(work, 'untouched.sqlite');
    const result = await importFeeds(path, [{ name: 'a', feed: memoryFeed('a', [record('A-1')], 0) }]);
    assert.equal(result.written, false);
    assert.deepEqual(await readdir(work).then((names) => names.filter((n) => n.startsWith('untouched'))), []);
  });

  it('works offline: a copied database file opens and answers the same', async () => {
    const path = join(work, 'origin.sqlite');
    const source = join(work, 'origin.jsonl');
    await writeFile(source, [record('O-1'), record('O-2')].map((r) => JSON.stringify(r)).join('\n'));
    await importSource(path, source, { limits });
    const copy = join(await mkdtemp(join(work, 'airgap-')), 'vulndb.sqlite');
    await copyFile(path, copy);
    const db = openVulnerabilityDatabase(copy);
    try {
      assert.deepEqual(ids(db.recordsFor('PyPI', 'django')), ['O-1', 'O-2']);
      assert.equal(db.status().feeds[0]?.feed, 'origin');
      assert.equal(db.status().path, copy);
    } finally {
      db.close();
    }
    const names = await readdir(work);
    assert.deepEqual(
      names.filter((n) => n.startsWith('origin.sqlite')),
      ['origin.sqlite'],
      'no lock or temporary file left',
    );
  });

  it('builds with the layout page size, and gives an older file that page size on its next update', async () => {
    const path = join(work, 'pages.sqlite');
    const pageSizeOf = (file: string): number => {
      const db = new DatabaseSync(file, { readOnly: true });
      try {
        return Number(db.prepare('PRAGMA page_size').get()?.['page_size']);
      } finally {
        db.close();
      }
    };
    await importFeeds(path, [{ name: 'a', feed: memoryFeed('a', [record('P-1'), record('P-2')]) }]);
    assert.equal(pageSizeOf(path), databasePageSize);
    // A file as builds before the layout made it: SQLite's default 4 KiB pages.
    const older = new DatabaseSync(path);
    older.exec('PRAGMA page_size = 4096; VACUUM;');
    older.close();
    assert.equal(pageSizeOf(path), 4096);
    await importFeeds(path, [{ name: 'b', feed: memoryFeed('b', [record('P-3')]) }]);
    assert.equal(pageSizeOf(path), databasePageSize);
    const db = openVulnerabilityDatabase(path);
    try {
      assert.deepEqual(ids(db.recordsFor('PyPI', 'django')), ['P-1', 'P-2', 'P-3']);
      assert.deepEqual(
        db.status().feeds.map((f) => [f.feed, f.records]),
        [
          ['a', 2],
          ['b', 1],
        ],
      );
    } finally {
      db.close();
    }
  });

  it('refuses a second concurrent build, breaks a stale lock, removes stale temporaries', async () => {
    const path = join(work, 'locked.sqlite');
    await writeFile(`${path}.lock`, String(process.ppid));
    await assert.rejects(
      importFeeds(path, [{ name: 'a', feed: memoryFeed('a', [record('A-1')]) }]),
      (error) => isDrydockError(error) && error.reason === 'database_busy',
    );
    const deadPid = 2 ** 22 + 12345;
    await writeFile(`${path}.lock`, String(deadPid));
    await writeFile(`${path}.tmp-${deadPid}`, 'half a database');
    await importFeeds(path, [{ name: 'a', feed: memoryFeed('a', [record('A-1')]) }]);
    assert.deepEqual(
      (await readdir(work)).filter((n) => n.startsWith('locked')),
      ['locked.sqlite'],
    );
  });

  it('reports a missing or foreign database file with typed errors', async () => {
    assert.throws(
      () => openVulnerabilityDatabase(join(work, 'absent.sqlite')),
      (error) => isDrydockError(error) && error.code === 'not_found' && error.reason === 'database_missing',
    );
    const foreign = join(work, 'foreign.sqlite');
    await writeFile(
      foreign,
      'not sqlite at all, just text that is long enough to be read as a header'.repeat(20),
    );
    assert.throws(
      () => openVulnerabilityDatabase(foreign),
      (error) => isDrydockError(error) && error.reason === 'database_schema',
    );
  });
});
