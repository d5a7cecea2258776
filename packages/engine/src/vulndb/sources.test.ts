import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isDrydockError } from '../util/errors.ts';
import type { FeedItem, OpenedFeed } from './feed-item.ts';
import { resolveFeedLimits } from './feed-limits.ts';
import { openFeed, sniffFileFormat } from './sources.ts';
import { buildZip } from './zip-fixture.ts';

const limits = resolveFeedLimits();
let work: string;

function rec(id: string): string {
  return JSON.stringify({ id, modified: '2024-01-01T00:00:00Z' });
}

async function opened(source: string, overrides = {}): Promise<OpenedFeed> {
  const result = await openFeed(source, { limits: { ...limits, ...overrides } });
  assert.equal(result.status, 'opened');
  return result.status === 'opened' ? result.feed : assert.fail();
}

async function collect(feed: OpenedFeed): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  for await (const item of feed.items()) items.push(item);
  await feed.close();
  return items;
}

function summary(items: readonly FeedItem[]): string[] {
  return items.map((item) =>
    item.kind === 'json'
      ? `${item.location} ${String(Reflect.get(Object(item.value), 'id'))}`
      : `${item.location} invalid`,
  );
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-sources-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('feed readers', () => {
  it('reads JSON Lines: CRLF, blank lines, a bad line, no final newline', async () => {
    const path = join(work, 'feed.jsonl');
    await writeFile(path, `${rec('A-1')}\r\n\n{not json}\n${rec('A-2')}\n   \n${rec('A-3')}`);
    const feed = await opened(path);
    assert.equal(feed.format, 'jsonl');
    assert.equal(feed.fingerprint(), undefined);
    const items = await collect(feed);
    assert.deepEqual(summary(items), [
      'feed.jsonl:1 A-1',
      'feed.jsonl:3 invalid',
      'feed.jsonl:4 A-2',
      'feed.jsonl:6 A-3',
    ]);
    assert.match(items[1]?.kind === 'invalid' ? items[1].reason : '', /^invalid JSON/);
    assert.match(feed.fingerprint() ?? '', /^sha256:[0-9a-f]{64}$/);
  });

  it('bounds the length of a line', async () => {
    const path = join(work, 'long.jsonl');
    await writeFile(path, `${rec('A-1')}\n${'x'.repeat(5000)}`);
    const feed = await opened(path, { maxLineBytes: 1000 });
    await assert.rejects(collect(feed), (error) => isDrydockError(error) && error.reason === 'invalid_feed');
  });

  it('reads a whole JSON file: one record, or an array of records', async () => {
    const one = join(work, 'one.json');
    await writeFile(one, JSON.stringify({ id: 'B-1', modified: '2024-01-01T00:00:00Z' }, null, 2));
    assert.deepEqual(summary(await collect(await opened(one))), ['one.json B-1']);
    const list = join(work, 'list.json');
    await writeFile(list, `[${rec('B-2')},${rec('B-3')},7]`);
    assert.deepEqual(summary(await collect(await opened(list))), [
      'list.json[0] B-2',
      'list.json[1] B-3',
      'list.json[2] undefined',
    ]);
  });

  it('reads a directory recursively, in a stable order, with a fingerprint over names and contents', async () => {
    const dir = join(work, 'tree');
    await mkdir(join(dir, 'b', 'c'), { recursive: true });
    await writeFile(join(dir, 'b', 'c', 'C-1.json'), rec('C-1'));
    await writeFile(join(dir, 'a.jsonl'), `${rec('C-2')}\n${rec('C-3')}\n`);
    await writeFile(join(dir, 'README.md'), '# not a record');
    const first = await opened(dir);
    assert.equal(first.format, 'directory');
    assert.deepEqual(summary(await collect(first)), ['a.jsonl:1 C-2', 'a.jsonl:2 C-3', 'b/c/C-1.json C-1']);
    const again = await opened(dir);
    await collect(again);
    assert.equal(again.fingerprint(), first.fingerprint());
    await writeFile(join(dir, 'b', 'c', 'C-1.json'), rec('C-9'));
    const changed = await opened(dir);
    await collect(changed);
    assert.notEqual(changed.fingerprint(), first.fingerprint());
  });

  it('reads an all.zip: deflated and stored members, skipping folders and other files', async () => {
    const path = join(work, 'all.zip');
    await writeFile(
      path,
      buildZip([
        { name: 'D-1.json', content: rec('D-1') },
        { name: 'sub/', content: '', method: 'store' },
        { name: 'D-2.json', content: rec('D-2'), method: 'store' },
        { name: 'notes.txt', content: 'x' },
        { name: 'D-3.json', content: '{"id":' },
      ]),
    );
    const feed = await opened(path);
    assert.equal(feed.format, 'zip');
    assert.match(feed.fingerprint() ?? '', /^sha256:/);
    assert.deepEqual(summary(await collect(feed)), [
      'all.zip!D-1.json D-1',
      'all.zip!D-2.json D-2',
      'all.zip!D-3.json invalid',
    ]);
  });

  it('reads ZIP64 end records (archives of more than 65,535 members)', async () => {
    const path = join(work, 'zip64.zip');
    await writeFile(
      path,
      buildZip(
        [
          { name: 'E-1.json', content: rec('E-1') },
          { name: 'E-2.json', content: rec('E-2') },
        ],
        { zip64: true },
      ),
    );
    assert.deepEqual(summary(await collect(await opened(path))), [
      'zip64.zip!E-1.json E-1',
      'zip64.zip!E-2.json E-2',
    ]);
  });

  it('counts damaged members as invalid records and keeps reading', async () => {
    const path = join(work, 'damaged.zip');
    const big = JSON.stringify({ id: 'F-3', modified: '2024-01-01T00:00:00Z', details: 'x'.repeat(5000) });
    await writeFile(
      path,
      buildZip([
        { name: 'F-1.json', content: rec('F-1'), declaredCrc: 1234 },
        { name: 'F-2.json', content: rec('F-2'), declaredSize: 5 },
        { name: 'F-3.json', content: big },
        { name: 'F-4.json', content: rec('F-4') },
      ]),
    );
    const items = await collect(await opened(path, { maxMemberBytes: 4096 }));
    assert.deepEqual(
      items.map((item) => (item.kind === 'invalid' ? item.reason : 'ok')),
      [
        'ZIP member CRC mismatch',
        'ZIP member inflates past its declared size',
        'ZIP member larger than 4096 bytes',
        'ok',
      ],
    );
  });

  it('refuses a truncated zip before reading anything', async () => {
    const whole = buildZip([
      { name: 'G-1.json', content: rec('G-1') },
      { name: 'G-2.json', content: rec('G-2') },
    ]);
    for (const cut of [whole.length - 5, Math.floor(whole.length / 2), 10]) {
      const path = join(work, `truncated-${cut}.zip`);
      await writeFile(path, whole.subarray(0, cut));
      await assert.rejects(
        openFeed(path, { limits }),
        (error) =>
          isDrydockError(error) && error.code === 'malformed_image' && error.reason === 'truncated_zip',
      );
    }
  });

  it('bounds the inflated size of a whole archive', async () => {
    const path = join(work, 'bomb.zip');
    const member = JSON.stringify({ id: 'H', modified: '2024-01-01T00:00:00Z', details: ' '.repeat(2000) });
    await writeFile(
      path,
      buildZip(Array.from({ length: 10 }, (_, i) => ({ name: `H-${i}.json`, content: member }))),
    );
    const feed = await opened(path, { maxInflatedBytes: 10_000 });
    await assert.rejects(
      collect(feed),
      (error) => isDrydockError(error) && error.reason === 'feed_too_large',
    );
  });

  it('recognises formats by content where the name does not say', async () => {
    const cases: [string, string | Buffer, string][] = [
      ['feed-zip', buildZip([{ name: 'a.json', content: rec('a') }]), 'zip'],
      ['feed-lines', `${rec('a')}\n${rec('b')}\n`, 'jsonl'],
      ['feed-pretty', JSON.stringify({ id: 'a', modified: '2024-01-01T00:00:00Z' }, null, 2), 'json'],
      ['feed-single', rec('a'), 'json'],
    ];
    for (const [name, content, format] of cases) {
      const path = join(work, name);
      await writeFile(path, content);
      assert.equal(await sniffFileFormat(path), format, name);
    }
    const html = join(work, 'feed-html');
    await writeFile(html, '<html>nope</html>');
    await assert.rejects(
      sniffFileFormat(html),
      (error) => isDrydockError(error) && error.reason === 'invalid_feed',
    );
    await assert.rejects(
      openFeed(join(work, 'missing.jsonl'), { limits }),
      (error) => isDrydockError(error) && error.code === 'not_found' && error.reason === 'feed_not_found',
    );
  });
});
