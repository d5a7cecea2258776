/**
 * The vulnerability database end to end: all of ../shared/vulndata imported (timed), the
 * `drydock db` command (import, status, update against a loopback server), malformed input,
 * a stalled URL, and an import killed midway with SIGKILL.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  importFeeds,
  openFeed,
  openVulnerabilityDatabase,
  resolveFeedLimits,
  severityOf,
  type FeedToImport,
  type OsvRecord,
} from '../packages/engine/src/vulndb/index.ts';
import { startLoopbackServer, type LoopbackServer } from '../packages/engine/src/vulndb/loopback-server.ts';
import { buildZip } from '../packages/engine/src/vulndb/zip-fixture.ts';
import { schemaVersion } from '../packages/engine/src/vulndb/schema.ts';
import { runDrydock } from './harness/drydock-cli.ts';

const vulndata = join(import.meta.dirname, '..', '..', 'shared', 'vulndata');

/** Record counts per folder, from each folder's README (and the top-level README's table). */
const readmeCounts: Readonly<Record<string, { readonly records: number; readonly withdrawn: number }>> = {
  almalinux: { records: 2040 + 1780 + 660, withdrawn: 0 },
  'alpine-secdb-historic': { records: 2413, withdrawn: 0 },
  friendsofphp: { records: 1589, withdrawn: 0 },
  'golang-vulndb': { records: 4291, withdrawn: 17 },
  'nodejs-security-wg': { records: 462, withdrawn: 0 },
  'pypa-advisory-database': { records: 2661, withdrawn: 10 },
  rubysec: { records: 1203, withdrawn: 0 },
  rustsec: { records: 1206, withdrawn: 13 },
};

/** Records of the shared data that Drydock's validation refuses, by feed, with the reason. None today. */
const knownInvalid: Readonly<Record<string, number>> = {};

/** Records whose CVSS vector is not a valid vector, so no score can be computed from it. */
const unscorableVectors: Readonly<Record<string, string>> = {
  'NSWG-ECO-504': 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U: `U` is not a value of I or A in CVSS v3.0',
};

function jsonl(folder: string, file: string): OsvRecord[] {
  return readFileSync(join(vulndata, folder, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as OsvRecord);
}

let work: string;
let allPath: string;
let server: LoopbackServer;
const served = new Map<string, Buffer>();

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-vulndb-'));
  allPath = join(work, 'all.sqlite');
  server = await startLoopbackServer((request, response) => {
    const path = request.url ?? '';
    if (path === '/stall/all.zip') {
      response.writeHead(200, { 'content-type': 'application/zip' });
      response.write('PK\x03\x04');
      return;
    }
    const body = served.get(path);
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    const etag = `"${body.length}-${body.readUInt32LE(body.length - 6)}"`;
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304).end();
      return;
    }
    response.writeHead(200, { etag, 'content-type': 'application/zip' }).end(body);
  });
});
after(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

describe('importing all of ../shared/vulndata', () => {
  it('imports every folder as a feed, in under 30 s, with the README counts', async (t) => {
    const folders = (await readdir(vulndata, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    assert.deepEqual(folders.sort(), Object.keys(readmeCounts).sort());
    const started = performance.now();
    const feeds: FeedToImport[] = [];
    for (const name of folders) {
      const opened = await openFeed(join(vulndata, name), { limits: resolveFeedLimits() });
      assert.equal(opened.status, 'opened');
      if (opened.status === 'opened') feeds.push({ name, feed: opened.feed });
    }
    const result = await importFeeds(allPath, feeds);
    const seconds = (performance.now() - started) / 1000;
    const total = result.feeds.reduce(
      (sum, f) => sum + (f.status === 'imported' ? f.records + f.invalid : 0),
      0,
    );
    const size = (await stat(allPath)).size;
    const line = `imported ${total} records from ${feeds.length} feeds in ${seconds.toFixed(2)} s (${(size / 2 ** 20).toFixed(0)} MiB)`;
    t.diagnostic(line);
    console.log(`# vulndb: ${line}`);
    assert.ok(seconds < 30, line);
    for (const feed of result.feeds) {
      assert.equal(feed.status, 'imported', feed.feed);
      if (feed.status !== 'imported') continue;
      const expected = readmeCounts[feed.feed];
      assert.ok(expected, feed.feed);
      assert.equal(
        feed.invalid,
        knownInvalid[feed.feed] ?? 0,
        `${feed.feed}: ${JSON.stringify(feed.invalidExamples)}`,
      );
      assert.equal(feed.records, expected.records - feed.invalid, feed.feed);
      assert.equal(feed.withdrawn, expected.withdrawn, feed.feed);
    }
    const db = openVulnerabilityDatabase(allPath);
    try {
      const status = db.status();
      // 43 ids appear in more than one AlmaLinux folder (37 distinct): stored once.
      assert.equal(status.records, 18_262);
      assert.deepEqual(
        status.feeds.map((f) => f.feed),
        [...folders].sort(),
      );
      for (const feed of status.feeds) assert.match(feed.fingerprint, /^sha256:[0-9a-f]{64}$/);
    } finally {
      db.close();
    }
  });

  it('keeps withdrawn records out of lookups', () => {
    const db = openVulnerabilityDatabase(allPath);
    try {
      const withdrawn = [
        ...jsonl('golang-vulndb', 'Go.jsonl'),
        ...jsonl('pypa-advisory-database', 'PyPI.jsonl'),
        ...jsonl('rustsec', 'crates.io.jsonl'),
      ].filter((r) => r.withdrawn !== undefined);
      assert.equal(withdrawn.length, 40);
      for (const record of withdrawn) {
        assert.equal(db.recordById(record.id)?.withdrawn, record.withdrawn, 'still stored');
        for (const affected of record.affected ?? []) {
          const found = db.recordsFor(affected.package.ecosystem, affected.package.name).map((r) => r.id);
          assert.ok(!found.includes(record.id), `${record.id} returned for ${affected.package.name}`);
        }
      }
      // A live record of the same package as a withdrawn one is still returned.
      assert.ok(db.recordsFor('Go', 'stdlib').length > 100);
    } finally {
      db.close();
    }
  });

  it('keeps aliases and the stored record whole', () => {
    const db = openVulnerabilityDatabase(allPath);
    try {
      const pypi = jsonl('pypa-advisory-database', 'PyPI.jsonl').filter((r) => r.withdrawn === undefined);
      let checked = 0;
      for (const record of pypi
        .filter((r) => (r.aliases ?? []).some((a) => a.startsWith('CVE-')))
        .slice(0, 200)) {
        assert.deepEqual(db.recordById(record.id), record);
        for (const alias of record.aliases ?? [])
          assert.ok(db.advisoriesForAlias(alias).includes(record.id), alias);
        checked++;
      }
      assert.equal(checked, 200);
      // A PEP 503 name finds the record whatever the spelling.
      const django = db.recordsFor('PyPI', 'Django').map((r) => r.id);
      assert.deepEqual(
        db.recordsFor('PyPI', 'django').map((r) => r.id),
        django,
      );
      assert.ok(django.length > 50);
    } finally {
      db.close();
    }
  });

  it('rates AlmaLinux advisories from their summaries and npm advisories from their CVSS vectors', () => {
    const db = openVulnerabilityDatabase(allPath);
    try {
      const levels = new Map<string, number>();
      for (const file of ['almalinux8.jsonl', 'almalinux9.jsonl', 'almalinux10.jsonl']) {
        for (const record of jsonl('almalinux', file)) {
          const severity = severityOf(record);
          assert.equal(severity.source, 'distribution', record.id);
          levels.set(severity.level, (levels.get(severity.level) ?? 0) + 1);
        }
      }
      assert.deepEqual(Object.fromEntries(levels), { high: 2385, medium: 1907, low: 154, critical: 34 });
      const alsa = db.recordById('ALSA-2019:0975');
      assert.ok(alsa);
      assert.equal(severityOf(alsa).level, 'high');
      const npm = jsonl('nodejs-security-wg', 'npm.jsonl');
      for (const record of npm.filter((r) => r.severity?.some((s) => s.type === 'CVSS_V3'))) {
        const severity = severityOf(record);
        const exception = unscorableVectors[record.id];
        if (exception !== undefined) {
          assert.equal(
            severity.source,
            'none',
            `${record.id} is listed as unscorable (${exception}) but now scores`,
          );
          continue;
        }
        assert.equal(severity.source, 'cvss_v3', record.id);
        assert.ok(severity.score !== undefined && severity.score >= 0 && severity.score <= 10, record.id);
      }
    } finally {
      db.close();
    }
  });
});

describe('drydock db', () => {
  it('imports, reports malformed records without failing, and shows the provenance', async () => {
    const cache = join(work, 'cache');
    const env = { DRYDOCK_CACHE_DIR: cache };
    const imported = await runDrydock(['db', 'import', join(vulndata, 'rustsec')], { env });
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /imported feed rustsec from .*: 1206 records \(13 withdrawn\), 0 invalid/);
    assert.match(imported.stdout, new RegExp(`database: ${join(cache, 'vulndb.sqlite')}`));

    const malformed = join(work, 'malformed.jsonl');
    const good = JSON.stringify({
      id: 'MAL-1',
      modified: '2024-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'npm', name: 'x' } }],
    });
    await writeFile(
      malformed,
      [
        good,
        '{"id": "MAL-2", "modified": ',
        JSON.stringify({ modified: '2024-01-01T00:00:00Z' }),
        JSON.stringify({ id: 'MAL-3', modified: '2024-01-01T00:00:00Z', aliases: 'CVE-1' }),
        JSON.stringify({
          id: 'MAL-4',
          modified: '2024-01-01T00:00:00Z',
          affected: [{ package: { ecosystem: 'npm', name: 7 } }],
        }),
      ].join('\n'),
    );
    const partly = await runDrydock(['db', 'import', malformed, '--feed', 'hand-made'], { env });
    assert.equal(partly.code, 0, partly.stderr);
    assert.match(partly.stdout, /imported feed hand-made .*: 1 records, 4 invalid/);
    assert.match(partly.stderr, /4 invalid record\(s\) in feed hand-made/);
    assert.match(partly.stderr, /malformed\.jsonl:2: invalid JSON/);
    assert.match(partly.stderr, /malformed\.jsonl:3: id: /);
    assert.match(partly.stderr, /malformed\.jsonl:4: aliases: /);
    assert.match(partly.stderr, /malformed\.jsonl:5: affected\.0\.package\.name: /);

    const json = await runDrydock(['db', 'status', '--format', 'json'], { env });
    assert.equal(json.code, 0, json.stderr);
    const status = JSON.parse(json.stdout) as {
      records: number;
      schemaVersion: number;
      builtAt: string;
      ageSeconds: number;
      feeds: { feed: string; records: number; invalid: number; withdrawn: number; fingerprint: string }[];
    };
    assert.equal(status.records, 1207);
    assert.equal(status.schemaVersion, schemaVersion);
    assert.ok(status.ageSeconds >= 0 && status.ageSeconds < 600);
    assert.deepEqual(
      status.feeds.map((f) => [f.feed, f.records, f.invalid, f.withdrawn]),
      [
        ['hand-made', 1, 4, 0],
        ['rustsec', 1206, 0, 13],
      ],
    );
    const table = await runDrydock(['db', 'status'], { env });
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /advisories\s+1207 \(distinct ids\)/);
    assert.match(table.stdout, /rustsec.*1206.*0.*13/);
    assert.match(table.stdout, /built\s+\S+ \(\d+ min ago\)/);
  });

  it('fails a truncated zip, a missing database and a stalled URL with typed errors, leaving the database as it was', async () => {
    const path = join(work, 'robust.sqlite');
    const seed = await runDrydock([
      'db',
      'import',
      join(vulndata, 'nodejs-security-wg', 'npm.jsonl'),
      '--db',
      path,
    ]);
    assert.equal(seed.code, 0, seed.stderr);
    const before = await readFile(path);

    const lines = jsonl('rubysec', 'RubyGems.jsonl').slice(0, 20);
    const zip = buildZip(lines.map((r) => ({ name: `${r.id}.json`, content: JSON.stringify(r) })));
    const truncated = join(work, 'truncated.zip');
    await writeFile(truncated, zip.subarray(0, Math.floor(zip.length * 0.8)));
    const cut = await runDrydock(['db', 'import', truncated, '--db', path]);
    assert.equal(cut.code, 2);
    assert.match(cut.stderr, /\[malformed_image \(truncated_zip\)\]/);

    const started = performance.now();
    const stalled = await runDrydock([
      'db',
      'import',
      `${server.url}/stall/all.zip`,
      '--db',
      path,
      '--idle-timeout',
      '1s',
    ]);
    const elapsed = performance.now() - started;
    assert.equal(stalled.code, 2);
    assert.match(stalled.stderr, /\[download_failed \(stalled\)\]/);
    assert.ok(elapsed < 10_000, `the stalled import took ${elapsed.toFixed(0)} ms`);

    assert.deepEqual(await readFile(path), before, 'the database file is unchanged');
    assert.deepEqual(
      (await readdir(work)).filter((n) => n.startsWith('robust.sqlite.')),
      [],
    );

    const missing = await runDrydock(['db', 'status', '--db', join(work, 'nothing.sqlite')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /\[not_found \(database_missing\)\]/);
  });

  it('updates from a feeds file (a loopback server here) and skips unchanged feeds', async () => {
    const path = join(work, 'updated.sqlite');
    const records = jsonl('friendsofphp', 'Packagist.jsonl').slice(0, 50);
    served.set(
      '/Packagist/all.zip',
      buildZip(records.map((r) => ({ name: `${r.id}.json`, content: JSON.stringify(r) }))),
    );
    const feedsFile = join(work, 'feeds.json');
    await writeFile(
      feedsFile,
      JSON.stringify({
        feeds: [
          { name: 'Packagist', url: `${server.url}/Packagist/all.zip` },
          { name: 'Gone', url: `${server.url}/Gone/all.zip` },
        ],
      }),
    );
    const first = await runDrydock(['db', 'update', '--db', path, '--feeds-file', feedsFile]);
    assert.equal(first.code, 2, 'one feed failed');
    assert.match(first.stdout, /Packagist: updated, 50 records, 0 invalid/);
    assert.match(first.stderr, /Gone: failed \[not_found \(feed_not_found\)\]/);
    assert.match(first.stdout, /1 updated, 0 unchanged, 1 failed; database rebuilt/);
    const second = await runDrydock(['db', 'update', '--db', path, '--feeds-file', feedsFile]);
    assert.match(second.stdout, /Packagist: unchanged \(not modified\)/);
    assert.match(second.stdout, /0 updated, 1 unchanged, 1 failed; database not rewritten/);
    const db = openVulnerabilityDatabase(path);
    try {
      assert.equal(db.status().feeds[0]?.records, 50);
      const first = records[0];
      assert.ok(first);
      const pkg = first.affected?.[0]?.package;
      assert.ok(pkg);
      assert.ok(db.recordsFor('Packagist', pkg.name.toUpperCase()).some((r) => r.id === first.id));
    } finally {
      db.close();
    }
  });
});

describe('an import killed midway', () => {
  it('leaves the previous database usable and nothing half-written where readers look', async () => {
    const dir = await mkdtemp(join(work, 'killed-'));
    const path = join(dir, 'vulndb.sqlite');
    const seed = await runDrydock(['db', 'import', join(vulndata, 'rubysec'), '--db', path]);
    assert.equal(seed.code, 0, seed.stderr);
    const before = await readFile(path);

    const builder = pathToFileURL(
      join(import.meta.dirname, '..', 'packages', 'engine', 'src', 'vulndb', 'import-source.ts'),
    ).href;
    const script = `
      const { importSource } = await import(${JSON.stringify(builder)});
      await importSource(${JSON.stringify(path)}, ${JSON.stringify(join(vulndata, 'almalinux'))}, {
        onProgress: (event) => {
          if (event.type !== 'records') return;
          process.stdout.write('records ' + event.records + '\\n');
          // Hold still, mid-transaction, until the parent kills this process.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);
        },
      });
      process.stdout.write('finished\\n');
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const seen = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/records \d+/.test(output)) {
          child.kill('SIGKILL');
          resolve(output);
        }
      });
      child.on('exit', () => resolve(output));
      child.on('error', reject);
    });
    await new Promise((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve),
    );
    assert.equal(child.signalCode, 'SIGKILL', `the child was not killed midway: ${seen} ${stderr}`);
    assert.doesNotMatch(seen, /finished/);

    // The database is the one from before, byte for byte, and opens.
    assert.deepEqual(await readFile(path), before);
    const db = openVulnerabilityDatabase(path);
    try {
      assert.deepEqual(
        db.status().feeds.map((f) => [f.feed, f.records]),
        [['rubysec', 1203]],
      );
      assert.equal(db.recordsFor('AlmaLinux:8', 'openssl').length, 0);
    } finally {
      db.close();
    }
    // The dead builder's leftovers are beside the file, never in its place; a copy elsewhere is whole.
    const leftovers = (await readdir(dir)).filter((n) => n !== 'vulndb.sqlite');
    assert.ok(
      leftovers.every((n) => n === `vulndb.sqlite.tmp-${child.pid}` || n === 'vulndb.sqlite.lock'),
      leftovers.join(),
    );
    const copy = join(work, 'airgapped.sqlite');
    await copyFile(path, copy);
    const copied = openVulnerabilityDatabase(copy);
    assert.equal(copied.status().records, 1203);
    copied.close();

    // The next import cleans up after the dead one and lands.
    const next = await runDrydock(['db', 'import', join(vulndata, 'almalinux'), '--db', path]);
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(await readdir(dir), ['vulndb.sqlite']);
    const after = openVulnerabilityDatabase(path);
    try {
      assert.ok(after.recordsFor('AlmaLinux:8', 'openssl').length > 0);
    } finally {
      after.close();
    }
  });
});
