import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { insertConnection, insertImage, insertProjects, storeForTests } from '../results/test-fixtures.ts';
import { isServiceError } from '../service-error.ts';
import { getImage, imageSortKeys, listImages, type ImageListPage, type ImageSortKey } from './image-list.ts';

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
  it('lists by registry, repository and tag without a sort', async () => {
    assert.deepEqual(await ids(), ['i5', 'i1', 'i2', 'i3', 'i4']);
  });

  it('sorts by each column in both orders, ties by id, empty values last', async () => {
    const expected: Readonly<Record<ImageSortKey, readonly [readonly string[], readonly string[]]>> = {
      name: [
        ['i3', 'i5', 'i4', 'i1', 'i2'],
        ['i2', 'i1', 'i4', 'i5', 'i3'],
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
