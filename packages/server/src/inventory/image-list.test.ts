import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { migrateToLatest } from '../store/migrate.ts';
import { PgliteDialect } from '../store/pglite-dialect.ts';
import { insertConnection, insertImage, insertProjects, storeForTests } from '../results/test-fixtures.ts';
import { isServiceError } from '../service-error.ts';
import { resolveScope } from '../tasks/scan-scope.ts';
import {
  exactCountLimit,
  getImage,
  imageSortKeys,
  listImages,
  type ImageListPage,
  type ImageSortKey,
} from './image-list.ts';

const t0 = new Date('2025-01-01T00:00:00.000Z');
const day = (n: number): Date => new Date(t0.getTime() + n * 86_400_000);

/**
 * Five live images of p1 whose columns differ so that each sort gives its own order, with ties
 * (sizes, push and scan times, names) that only the id decides; a deleted image and another
 * project's image that no list may show.
 */
const store = storeForTests(async (db) => {
  await insertProjects(db, t0, 'p1', 'p2');
  await insertConnection(db, t0, { id: 'c-a', name: 'alpha', type: 'registry' });
  await insertConnection(db, t0, { id: 'c-b', name: 'beta', type: 'harbor' });
  await insertConnection(db, t0, { id: 'c-p2', name: 'aaa', type: 'registry', projectId: 'p2' });
  const images = [
    ['i1', 'c-a', 'team', 'web', '1.0', 300, day(1), day(2), 'high', 'succeeded'],
    ['i2', 'c-a', 'team', 'web', '2.0', 100, day(3), null, null, 'not_scanned'],
    ['i3', 'c-b', 'lib', 'api', 'v1', 200, null, day(1), 'critical', 'failed'],
    ['i4', 'c-b', 'lib', 'db', 'v1', 200, day(2), day(3), 'none', 'succeeded'],
    ['i5', 'c-a', 'team', 'api', 'v1', 200, day(2), day(3), 'low', 'queued'],
  ] as const;
  for (const [
    id,
    connectionId,
    namespace,
    repository,
    tag,
    size,
    pushedAt,
    lastScanAt,
    riskLevel,
    status,
  ] of images)
    await insertImage(db, t0, {
      id,
      connectionId,
      namespace,
      repository,
      tag,
      size,
      pushedAt,
      lastScanAt,
      riskLevel,
      scanStatus: status,
    });
  await insertImage(db, t0, { id: 'i6-deleted', connectionId: 'c-a', size: 50, deletedAt: day(4) });
  await insertImage(db, t0, { id: 'i7-p2', connectionId: 'c-p2', projectId: 'p2', size: 1 });
});

async function ids(page: ImageListPage = {}): Promise<string[]> {
  const listed = await listImages(store.db, 'p1', {}, page);
  return listed.images.map((image) => image.id);
}

describe('listImages sorting', () => {
  it('lists by name without a sort: repository, tag, then connection', async () => {
    // i5 and i3 are both api:v1, in connections c-a and c-b.
    assert.deepEqual(await ids(), ['i5', 'i3', 'i4', 'i1', 'i2']);
    assert.deepEqual(await ids(), await ids({ sort: 'name' }));
  });

  it('sorts by each column in both orders, ties by id, empty values last', async () => {
    const expected: Readonly<Record<ImageSortKey, readonly [readonly string[], readonly string[]]>> = {
      name: [
        ['i5', 'i3', 'i4', 'i1', 'i2'],
        ['i2', 'i1', 'i4', 'i3', 'i5'],
      ],
      namespace: [
        ['i3', 'i4', 'i1', 'i2', 'i5'],
        ['i5', 'i2', 'i1', 'i4', 'i3'],
      ],
      tag: [
        ['i1', 'i2', 'i3', 'i4', 'i5'],
        ['i5', 'i4', 'i3', 'i2', 'i1'],
      ],
      registry: [
        ['i1', 'i2', 'i5', 'i3', 'i4'],
        ['i4', 'i3', 'i5', 'i2', 'i1'],
      ],
      size: [
        ['i2', 'i3', 'i4', 'i5', 'i1'],
        ['i1', 'i5', 'i4', 'i3', 'i2'],
      ],
      pushedAt: [
        ['i1', 'i4', 'i5', 'i2', 'i3'],
        ['i2', 'i5', 'i4', 'i1', 'i3'],
      ],
      lastScanAt: [
        ['i3', 'i1', 'i4', 'i5', 'i2'],
        ['i5', 'i4', 'i1', 'i3', 'i2'],
      ],
      riskLevel: [
        ['i4', 'i5', 'i1', 'i3', 'i2'],
        ['i3', 'i1', 'i5', 'i4', 'i2'],
      ],
      scanStatus: [
        ['i2', 'i5', 'i1', 'i4', 'i3'],
        ['i3', 'i4', 'i1', 'i5', 'i2'],
      ],
    };
    for (const sort of imageSortKeys) {
      const [ascending, descending] = expected[sort];
      assert.deepEqual(await ids({ sort }), ascending, `${sort} asc`);
      assert.deepEqual(await ids({ sort, order: 'desc' }), descending, `${sort} desc`);
    }
  });

  it('pages through a sort with ties without repeating or skipping an image', async () => {
    const whole = await ids({ sort: 'size', order: 'desc' });
    const paged: string[] = [];
    for (let offset = 0; offset < whole.length; offset += 2)
      paged.push(...(await ids({ sort: 'size', order: 'desc', offset, limit: 2 })));
    assert.deepEqual(paged, whole);
  });

  it('keeps the filters and the total', async () => {
    const page = await listImages(
      store.db,
      'p1',
      { registryTypes: ['harbor'] },
      { sort: 'size', order: 'desc', limit: 1 },
    );
    assert.equal(page.total, 2);
    assert.deepEqual(
      page.images.map((image) => image.id),
      ['i4'],
    );
    const named = await listImages(store.db, 'p1', { name: 'web' }, { sort: 'tag', order: 'desc' });
    assert.deepEqual(
      named.images.map((image) => image.id),
      ['i2', 'i1'],
    );
  });

  it('refuses a sort column or order outside the list', async () => {
    // Library callers are not checked by the API's schema: the service checks again.
    const column = { sort: 'size; drop table repository_image' } as unknown as ImageListPage;
    await assert.rejects(
      () => listImages(store.db, 'p1', {}, column),
      (error: unknown) => isServiceError(error) && error.code === 'invalid_request',
    );
    const order = { sort: 'size', order: 'sideways' } as unknown as ImageListPage;
    await assert.rejects(
      () => listImages(store.db, 'p1', {}, order),
      (error: unknown) => isServiceError(error) && error.code === 'invalid_request',
    );
    assert.equal((await listImages(store.db, 'p1')).total, 5);
  });
});

describe('listImages filters', () => {
  const listed = async (filter: Parameters<typeof listImages>[2]) => {
    const page = await listImages(store.db, 'p1', filter);
    return { total: page.total, ids: page.images.map((image) => image.id) };
  };

  it('turns registry types into the project’s connections, within the asked connections', async () => {
    assert.deepEqual(await listed({ registryTypes: ['registry'] }), { total: 3, ids: ['i5', 'i1', 'i2'] });
    assert.deepEqual(await listed({ registryTypes: ['harbor'], connectionIds: ['c-b', 'c-a'] }), {
      total: 2,
      ids: ['i3', 'i4'],
    });
    // Types no connection of the project has, another project's connection, or no overlap: nothing.
    for (const filter of [
      { registryTypes: ['jfrog' as const] },
      { registryTypes: ['registry' as const], connectionIds: ['c-p2'] },
      { registryTypes: ['harbor' as const], connectionIds: ['c-a'] },
    ])
      assert.deepEqual(await listed(filter), { total: 0, ids: [] }, JSON.stringify(filter));
  });

  it('keeps every filter of the list, and empty lists filter nothing', async () => {
    assert.deepEqual(await listed({ name: 'API:V' }), { total: 2, ids: ['i5', 'i3'] });
    assert.deepEqual(await listed({ name: '%' }), { total: 0, ids: [] });
    assert.deepEqual(await listed({ namespace: 'lib', tag: 'v1' }), { total: 2, ids: ['i3', 'i4'] });
    assert.deepEqual(await listed({ status: ['failed', 'queued'] }), { total: 2, ids: ['i5', 'i3'] });
    assert.deepEqual(await listed({ connectionIds: ['c-b'] }), { total: 2, ids: ['i3', 'i4'] });
    assert.deepEqual(await listed({ updatedAfter: day(2), updatedBefore: day(3) }), {
      total: 2,
      ids: ['i5', 'i4'],
    });
    assert.deepEqual(await listed({ status: [], connectionIds: [], registryTypes: [] }), {
      total: 5,
      ids: ['i5', 'i3', 'i4', 'i1', 'i2'],
    });
  });

  it('leaves scan scopes by filter as they were, registry types included', async () => {
    const scoped = await resolveScope(store.db, 'p1', {
      kind: 'filter',
      filter: { registryTypes: ['harbor'], status: ['failed', 'succeeded'] },
    });
    assert.deepEqual(scoped.map((image) => image.id).sort(), ['i3', 'i4']);
  });
});

/**
 * More images than the list counts exactly: 12,000 live images of project `big` in two connections
 * (every third in `c-y`), a tenth of them failed, and one deleted image. Each answer is compared
 * with a plain query of the same order, so the list's shortcuts (a capped count, the matches
 * sorted apart, ids first) must give the pages a straightforward query gives.
 */
describe('listImages beyond the exact count', () => {
  const size = 12_000;
  assert.ok(size > exactCountLimit);
  const big = storeForTests(async (db) => {
    await insertProjects(db, t0, 'big');
    await insertConnection(db, t0, { id: 'c-x', name: 'zeta', type: 'harbor', projectId: 'big' });
    await insertConnection(db, t0, { id: 'c-y', name: 'eta', type: 'jfrog', projectId: 'big' });
    await sql`
      insert into repository_image (id, project_id, connection_id, namespace, repository, tag,
        pull_registry, pull_repository, digest, media_type, size, synced_at, scan_status, created_at)
      select 'b' || lpad(n::text, 5, '0'), 'big', case when n % 3 = 0 then 'c-y' else 'c-x' end,
        'ns' || n % 7, 'ns' || n % 7 || '/app' || n % 50, 't' || n / 3, 'registry.example', 'r', 'sha256:b',
        'application/vnd.oci.image.manifest.v1+json', n % 13, ${t0},
        case when n % 10 = 0 then 'failed' else 'succeeded' end, ${t0}
      from generate_series(1, ${size}) as n
    `.execute(db);
    await db.updateTable('repositoryImage').set({ deletedAt: t0 }).where('id', '=', 'b00007').execute();
    await sql`analyze repository_image`.execute(db);
  });

  /** The ids a plain query gives for the same window: live images of `big`, `where`, ordered. */
  async function reference(where: string, orderBy: string, offset: number, limit: number) {
    const result = await sql<{ id: string }>`
      select id from repository_image
      where project_id = 'big' and deleted_at is null and ${sql.raw(where)}
      order by ${sql.raw(orderBy)} offset ${offset} limit ${limit}`.execute(big.db);
    return result.rows.map((row) => row.id);
  }
  const byName = 'repository, tag, connection_id, id';

  async function page(filter: Parameters<typeof listImages>[2], window: ImageListPage) {
    const listed = await listImages(big.db, 'big', filter, window);
    return { ...listed, ids: listed.images.map((image) => image.id) };
  }

  it('stops counting at the limit and says so; exactTotal counts them all', async () => {
    const first = await page({}, { limit: 50 });
    assert.equal(first.total, exactCountLimit);
    assert.equal(first.totalIsLowerBound, true);
    assert.deepEqual(first.ids, await reference('true', byName, 0, 50));
    assert.equal(first.images[0]?.connectionName, first.images[0]?.connectionId === 'c-x' ? 'zeta' : 'eta');
    const exact = await page({}, { limit: 50, exactTotal: true });
    assert.deepEqual([exact.total, exact.totalIsLowerBound], [size - 1, false]);
    assert.deepEqual(exact.ids, first.ids);
  });

  it('pages deep in the default order, with a total that reaches past the page', async () => {
    const deep = await page({}, { offset: 11_000, limit: 50 });
    assert.deepEqual(deep.ids, await reference('true', byName, 11_000, 50));
    assert.deepEqual([deep.total, deep.totalIsLowerBound], [11_051, true]);
    const backwards = await page({}, { offset: 11_000, limit: 50, sort: 'name', order: 'desc' });
    assert.deepEqual(
      backwards.ids,
      await reference('true', 'repository desc, tag desc, connection_id desc, id desc', 11_000, 50),
    );
  });

  it('knows the total exactly on the page that holds the last image, and past it says no more than the count', async () => {
    const last = await page({}, { offset: size - 21, limit: 50 });
    assert.equal(last.ids.length, 20);
    assert.deepEqual([last.total, last.totalIsLowerBound], [size - 1, false]);
    const past = await page({}, { offset: 50_000, limit: 50 });
    assert.deepEqual([past.total, past.totalIsLowerBound, past.ids], [exactCountLimit, true, []]);
  });

  it('continues the name order from a cursor, filtered or not, in both directions', async () => {
    const first = await page({}, { limit: 50, offset: 11_000 });
    const cursorPage = await page(
      {},
      { limit: 50, after: (await page({}, { limit: 1, offset: 10_999 })).nextCursor ?? '' },
    );
    assert.deepEqual(cursorPage.ids, first.ids);
    assert.equal(cursorPage.totalIsLowerBound, true);
    assert.deepEqual(
      (await page({}, { limit: 50, after: cursorPage.nextCursor ?? '' })).ids,
      await reference('true', byName, 11_050, 50),
    );
    // A filtered list with few matches (gathered, then sorted) walks to its end.
    const walked: string[] = [];
    let after: string | undefined;
    do {
      const next = await page(
        { status: ['failed'] },
        { limit: 500, ...(after === undefined ? {} : { after }) },
      );
      assert.deepEqual([next.total, next.totalIsLowerBound], [1_200, false]);
      walked.push(...next.ids);
      after = next.nextCursor;
    } while (after !== undefined);
    assert.deepEqual(walked, await reference("scan_status = 'failed'", byName, 0, size));
    const down = await page({}, { limit: 20, sort: 'name', order: 'desc' });
    assert.deepEqual(
      (await page({}, { limit: 20, sort: 'name', order: 'desc', after: down.nextCursor ?? '' })).ids,
      await reference('true', 'repository desc, tag desc, connection_id desc, id desc', 20, 20),
    );
  });

  it('refuses a cursor it did not give, with another sort, or with an offset', async () => {
    const cursor = (await page({}, { limit: 1 })).nextCursor ?? '';
    for (const window of [
      { after: 'not-a-cursor' },
      { after: Buffer.from('[1,2,3,4]').toString('base64url') },
      { after: cursor, sort: 'size' as const },
      { after: cursor, offset: 10 },
    ])
      await assert.rejects(page({}, window), { code: 'invalid_request' });
    assert.equal((await page({}, { limit: 1, sort: 'size' })).nextCursor, undefined);
  });

  it('counts few matches exactly and pages them in order', async () => {
    const failed = await page({ status: ['failed'] }, { offset: 1_150, limit: 100 });
    assert.deepEqual([failed.total, failed.totalIsLowerBound], [1_200, false]);
    assert.deepEqual(failed.ids, await reference("scan_status = 'failed'", byName, 1_150, 100));
    const jfrog = await page(
      { registryTypes: ['jfrog'], name: 'app4' },
      { sort: 'size', order: 'desc', limit: 30 },
    );
    assert.equal(jfrog.totalIsLowerBound, false);
    assert.equal(
      jfrog.total,
      (await reference("connection_id = 'c-y' and repository like '%app4%'", 'id', 0, size)).length,
    );
    assert.deepEqual(
      jfrog.ids,
      await reference("connection_id = 'c-y' and repository like '%app4%'", 'size desc, id desc', 0, 30),
    );
  });

  it('pages a filter with more matches than the count from the table, in the same order', async () => {
    const succeeded = await page({ status: ['succeeded'] }, { offset: 200, limit: 50, sort: 'registry' });
    assert.deepEqual([succeeded.total, succeeded.totalIsLowerBound], [exactCountLimit, true]);
    // `registry` is the connection's name: eta (c-y) before zeta (c-x).
    assert.deepEqual(
      succeeded.ids,
      await reference("scan_status = 'succeeded'", "connection_id = 'c-x', id", 200, 50),
    );
    const exact = await page(
      { status: ['succeeded'] },
      { offset: 200, limit: 50, sort: 'registry', exactTotal: true },
    );
    assert.deepEqual([exact.total, exact.totalIsLowerBound, exact.ids], [10_799, false, succeeded.ids]);
  });
});

describe('the image list indexes (migration 0005)', () => {
  const indexNames = async (db: Kysely<unknown>) => {
    const result = await sql<{ indexname: string }>`
      select indexname from pg_indexes where tablename = 'repository_image' and indexname like '%live%'
      order by indexname`.execute(db);
    return result.rows.map((row) => row.indexname);
  };

  it('has a trigram index for the name filter where pg_trgm is loaded', async () => {
    assert.deepEqual(await indexNames(store.db as Kysely<unknown>), [
      'repository_image_live_name',
      'repository_image_live_namespace',
      'repository_image_live_order',
      'repository_image_live_status',
    ]);
  });

  it('migrates without it where the extension is missing, and the name filter still works', async () => {
    const pglite = new PGlite();
    const db = new Kysely<unknown>({ dialect: new PgliteDialect(pglite) });
    try {
      await migrateToLatest(db);
      assert.deepEqual(await indexNames(db), [
        'repository_image_live_namespace',
        'repository_image_live_order',
        'repository_image_live_status',
      ]);
      const migrations = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        db,
      );
      assert.ok(migrations.rows.some((row) => row.name === '0005-image-list-indexes'));
    } finally {
      await db.destroy();
      await pglite.close();
    }
  });
});

describe('getImage', () => {
  it('answers the list row, for a deleted image too', async () => {
    const image = await getImage(store.db, 'p1', 'i3');
    assert.equal(image.connectionName, 'beta');
    assert.equal(image.registryType, 'harbor');
    assert.equal(image.scanStatus, 'failed');
    assert.equal(image.riskLevel, 'critical');
    assert.equal(image.deletedAt, null);
    const deleted = await getImage(store.db, 'p1', 'i6-deleted');
    assert.deepEqual(deleted.deletedAt, day(4));
  });

  it('is not_found for an unknown id and for another project’s image', async () => {
    for (const id of ['nope', 'i7-p2'])
      await assert.rejects(
        () => getImage(store.db, 'p1', id),
        (error: unknown) => isServiceError(error) && error.code === 'not_found',
      );
  });
});
