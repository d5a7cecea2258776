import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentResults, imageSummaries } from '../results/current-results.ts';
import { insertProjects, storeForTests } from '../results/test-fixtures.ts';
import { anyOf } from './any-of.ts';

/**
 * Lists of ids past the protocol's 65,535 bind parameters: `in (…)` fails there, `anyOf` sends one
 * array parameter. The queries that take an image per id in a large project use it.
 */
const store = storeForTests(async (db) => {
  await insertProjects(db, new Date('2025-01-01T00:00:00Z'), 'p1');
});
const manyIds = Array.from({ length: 70_000 }, (_, index) => `image-${index}`);

describe('anyOf', () => {
  it('matches against 70,000 ids in one parameter', async () => {
    const rows = await store.db
      .selectFrom('project')
      .select('id')
      .where('id', '=', anyOf([...manyIds, 'p1']))
      .execute();
    assert.deepEqual(
      rows.map((row) => row.id),
      ['p1'],
    );
  });

  it('carries the result and image queries of a project of 70,000 images', async () => {
    assert.deepEqual(await currentResults(store.db, { projectId: 'p1', imageIds: manyIds }), []);
    assert.equal((await imageSummaries(store.db, 'p1', manyIds)).size, 0);
  });
});
