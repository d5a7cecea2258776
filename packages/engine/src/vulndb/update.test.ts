import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isDrydockError } from '../util/errors.ts';
import { downloadFeed } from './download.ts';
import { defaultFeeds, parseFeedsFile } from './feeds.ts';
import { resolveFeedLimits } from './feed-limits.ts';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.ts';
import { openVulnerabilityDatabase } from './reader.ts';
import { schemaVersion } from './schema.ts';
import { updateDatabase, type FeedUpdateOutcome } from './update.ts';
import { buildZip } from './zip-fixture.ts';

const vulndata = join(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'vulndata');
const fast = { bodyIdleTimeoutMs: 400, headersTimeoutMs: 400, connectTimeoutMs: 1000 };

let work: string;
let server: LoopbackServer;
/** What the server serves, by path: bytes and whether to send an ETag. */
const served = new Map<string, { body: Buffer; etag: boolean }>();

/** An all.zip built from the first `count` real records of a vulndata file. */
async function zipOf(file: string, count: number): Promise<{ zip: Buffer; ids: string[] }> {
  const lines = (await readFile(join(vulndata, file), 'utf8')).split('\n').filter(Boolean).slice(0, count);
  const ids = lines.map((line) => String(Reflect.get(Object(JSON.parse(line)), 'id')));
  return { zip: buildZip(lines.map((line, i) => ({ name: `${ids[i]}.json`, content: line }))), ids };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function statuses(outcomes: readonly FeedUpdateOutcome[]): string[] {
  return outcomes.map(
    (o) =>
      `${o.feed}:${o.status}${o.status === 'unchanged' ? `:${o.why}` : o.status === 'failed' ? `:${o.error.reason}` : ''}`,
  );
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-update-'));
  server = await startLoopbackServer((request, response) => {
    const path = request.url ?? '';
    if (path === '/stall-body') {
      response.writeHead(200, { 'content-type': 'application/zip', 'content-length': '100000' });
      response.write('PK');
      return; // and then nothing
    }
    if (path === '/stall-headers') return;
    if (path === '/error') {
      response.writeHead(500).end('boom');
      return;
    }
    const entry = served.get(path);
    if (!entry) {
      response.writeHead(404).end();
      return;
    }
    const etag = `"${createHash('sha256').update(entry.body).digest('hex').slice(0, 16)}"`;
    if (entry.etag && request.headers['if-none-match'] === etag) {
      response.writeHead(304).end();
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/zip', ...(entry.etag ? { etag } : {}) })
      .end(entry.body);
  });
});
after(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

describe('downloads', () => {
  it('fails a response that sends its headers and then nothing, within the idle timeout', async () => {
    const started = performance.now();
    await assert.rejects(
      downloadFeed(`${server.url}/stall-body`, {
        limits: resolveFeedLimits(fast),
        path: join(work, 'download'),
      }),
      (error) => isDrydockError(error) && error.code === 'download_failed' && error.reason === 'stalled',
    );
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 3000, `failed after ${elapsed.toFixed(0)} ms`);
    assert.deepEqual(
      (await readdir(work)).filter((n) => n === 'download'),
      [],
      'no partial download left',
    );
  });

  it('fails a server that never answers, within the headers timeout', async () => {
    await assert.rejects(
      downloadFeed(`${server.url}/stall-headers`, {
        limits: resolveFeedLimits(fast),
        path: join(work, 'download'),
      }),
      (error) => isDrydockError(error) && error.reason === 'stalled',
    );
  });

  it('types HTTP errors, refused connections and oversized feeds', async () => {
    const limits = resolveFeedLimits(fast);
    await assert.rejects(
      downloadFeed(`${server.url}/missing`, { limits, path: join(work, 'download') }),
      (error) => isDrydockError(error) && error.code === 'not_found' && error.reason === 'feed_not_found',
    );
    await assert.rejects(
      downloadFeed(`${server.url}/error`, { limits, path: join(work, 'download') }),
      (error) => isDrydockError(error) && error.code === 'download_failed' && error.reason === 'http_status',
    );
    const port = await closedPort();
    await assert.rejects(
      downloadFeed(`http://127.0.0.1:${port}/all.zip`, { limits, path: join(work, 'download') }),
      (error) => isDrydockError(error) && error.code === 'download_failed' && error.reason === 'network',
    );
    served.set('/big.zip', { body: Buffer.alloc(5000), etag: false });
    await assert.rejects(
      downloadFeed(`${server.url}/big.zip`, {
        limits: resolveFeedLimits({ ...fast, maxDownloadBytes: 1000 }),
        path: join(work, 'download'),
      }),
      (error) => isDrydockError(error) && error.reason === 'feed_too_large',
    );
  });
});

describe('drydock db update', () => {
  it('defaults to the OSV per-ecosystem exports', () => {
    assert.ok(defaultFeeds.length > 5);
    assert.ok(
      defaultFeeds.some((f) => f.url === 'https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip'),
    );
    assert.ok(
      defaultFeeds.some(
        (f) => f.url === 'https://osv-vulnerabilities.storage.googleapis.com/Rocky%20Linux/all.zip',
      ),
    );
    assert.deepEqual(parseFeedsFile('{"feeds":[{"name":"a","url":"/x"}]}'), [{ name: 'a', url: '/x' }]);
    assert.throws(() => parseFeedsFile('[{"name":"a","url":"/x"},{"name":"a","url":"/y"}]'), /twice/);
    assert.throws(() => parseFeedsFile('{"feeds":[{"name":"a"}]}'), /url/);
  });

  it('updates changed feeds, skips unchanged ones by ETag or fingerprint, and fails bad feeds one by one', async () => {
    const path = join(work, 'update.sqlite');
    const rust = await zipOf('rustsec/crates.io.jsonl', 120);
    const go = await zipOf('golang-vulndb/Go.jsonl', 80);
    served.set('/crates.io/all.zip', { body: rust.zip, etag: true });
    served.set('/Go/all.zip', { body: go.zip, etag: false });
    served.set('/broken/all.zip', { body: go.zip.subarray(0, go.zip.length - 30), etag: false });
    const port = await closedPort();
    const feeds = [
      { name: 'crates.io', url: `${server.url}/crates.io/all.zip` },
      { name: 'unreachable', url: `http://127.0.0.1:${port}/all.zip` },
      { name: 'Go', url: `${server.url}/Go/all.zip` },
      { name: 'broken', url: `${server.url}/broken/all.zip` },
      { name: 'stalled', url: `${server.url}/stall-body` },
    ];
    const options = { feeds, limits: fast };
    const first = await updateDatabase(path, options);
    assert.deepEqual(statuses(first.outcomes), [
      'crates.io:updated',
      'unreachable:failed:network',
      'Go:updated',
      'broken:failed:truncated_zip',
      'stalled:failed:stalled',
    ]);
    assert.ok(first.build?.written);
    const db = openVulnerabilityDatabase(path);
    try {
      const status = db.status();
      assert.deepEqual(
        status.feeds.map((f) => [f.feed, f.records]),
        [
          ['Go', 80],
          ['crates.io', 120],
        ],
      );
      assert.equal(status.feeds[0]?.source, `${server.url}/Go/all.zip`);
      assert.ok(db.recordById(rust.ids[0] ?? ''));
    } finally {
      db.close();
    }

    const builtAt = first.build?.builtAt;
    const second = await updateDatabase(path, {
      feeds: feeds.slice(0, 3).filter((f) => f.name !== 'unreachable'),
      limits: fast,
    });
    assert.deepEqual(statuses(second.outcomes), [
      'crates.io:unchanged:not-modified',
      'Go:unchanged:same-fingerprint',
    ]);
    assert.equal(second.build, undefined, 'nothing changed: the file is not rewritten');
    const etagRequests = server.requests.filter((r) => r.path === '/crates.io/all.zip');
    assert.equal(etagRequests.at(-1)?.ifNoneMatch?.startsWith('"'), true);

    served.set('/Go/all.zip', { body: (await zipOf('golang-vulndb/Go.jsonl', 90)).zip, etag: false });
    const third = await updateDatabase(path, { feeds: [feeds[2] ?? assert.fail()], limits: fast });
    assert.deepEqual(statuses(third.outcomes), ['Go:updated']);
    assert.notEqual(third.build?.builtAt, builtAt);
    const after = openVulnerabilityDatabase(path);
    try {
      assert.deepEqual(
        after.status().feeds.map((f) => [f.feed, f.records]),
        [
          ['Go', 90],
          ['crates.io', 120],
        ],
      );
    } finally {
      after.close();
    }
    assert.deepEqual(
      (await readdir(work)).filter((n) => n.includes('.tmp-') || n.endsWith('.lock')),
      [],
    );
  });

  it('rebuilds a database of an older schema from every feed, unchanged or not', async () => {
    const path = join(work, 'older-schema.sqlite');
    const rust = await zipOf('rustsec/crates.io.jsonl', 30);
    served.set('/older/crates.io/all.zip', { body: rust.zip, etag: true });
    const feeds = [{ name: 'crates.io', url: `${server.url}/older/crates.io/all.zip` }];
    await updateDatabase(path, { feeds, limits: fast });
    // As a database written by an earlier Drydock looks: same feeds, another schema version.
    const db = new DatabaseSync(path);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(schemaVersion - 1));
    db.close();
    assert.throws(() => openVulnerabilityDatabase(path), /schema version/);

    const again = await updateDatabase(path, { feeds, limits: fast });
    assert.deepEqual(statuses(again.outcomes), ['crates.io:updated']);
    assert.equal(again.build?.schemaReset, true);
    const rebuilt = openVulnerabilityDatabase(path);
    try {
      assert.deepEqual(
        rebuilt.status().feeds.map((f) => [f.feed, f.records]),
        [['crates.io', 30]],
      );
    } finally {
      rebuilt.close();
    }
  });
});
