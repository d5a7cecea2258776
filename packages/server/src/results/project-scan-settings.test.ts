import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isServiceError } from '../service-error.ts';
import {
  getProjectScanSettings,
  maxWeakPasswords,
  updateProjectScanSettings,
  validateWeakPasswords,
} from './project-scan-settings.ts';
import { insertProjects, storeForTests } from './test-fixtures.ts';

const t0 = new Date('2025-01-01T00:00:00.000Z');
const t1 = new Date('2025-01-02T00:00:00.000Z');

const store = storeForTests(async (db) => {
  await insertProjects(db, t0, 'p1');
});

const invalid = (field: string) => (error: unknown) =>
  isServiceError(error) && error.code === 'invalid_request' && error.details['field'] === field;

const policy = `
forbiddenCategories: [forbidden, restricted]
denyIds: [AGPL-3.0]
prohibitedSoftware:
  - id: acme-miner
    category: crypto-miner
    severity: high
    reason: the company miner
    binaries: [acme-miner]
`;

describe('project scan settings', () => {
  it('has the defaults before anything is set, and not_found for an unknown project', async () => {
    assert.deepEqual(await getProjectScanSettings(store.db, 'p1'), {
      projectId: 'p1',
      weakPasswords: [],
      secretPathAllowlist: [],
      compliancePolicy: undefined,
      scanOnPush: false,
      updatedAt: null,
    });
    await assert.rejects(
      getProjectScanSettings(store.db, 'nope'),
      (error: unknown) => isServiceError(error) && error.code === 'not_found',
    );
  });

  it('stores each setting, keeps the others, and returns to the default policy with null', async () => {
    const { db } = store;
    const first = await updateProjectScanSettings(
      db,
      'p1',
      { weakPasswords: ['Winter2024!', 'acme', 'acme'], compliancePolicy: policy },
      t0,
    );
    assert.deepEqual(first.weakPasswords, ['Winter2024!', 'acme'], 'repeated words are dropped');
    assert.deepEqual(first.compliancePolicy?.forbiddenCategories, ['forbidden', 'restricted']);
    assert.equal(first.compliancePolicy?.prohibitedSoftware?.[0]?.id, 'acme-miner');
    assert.equal(first.updatedAt?.toISOString(), t0.toISOString());

    const second = await updateProjectScanSettings(
      db,
      'p1',
      { secretPathAllowlist: ['tests/**', '*.pem'] },
      t1,
    );
    assert.deepEqual(second.weakPasswords, ['Winter2024!', 'acme']);
    assert.deepEqual(second.secretPathAllowlist, ['tests/**', '*.pem']);
    assert.deepEqual(second.compliancePolicy, first.compliancePolicy);
    assert.equal(second.updatedAt?.toISOString(), t1.toISOString());

    const third = await updateProjectScanSettings(db, 'p1', { compliancePolicy: null }, t1);
    assert.equal(third.compliancePolicy, undefined);
    assert.deepEqual(third.secretPathAllowlist, ['tests/**', '*.pem']);
  });

  it('rejects bad input before writing anything', async () => {
    const { db } = store;
    const before = await getProjectScanSettings(db, 'p1');
    await assert.rejects(
      updateProjectScanSettings(db, 'p1', { weakPasswords: ['ok', ''] }, t1),
      invalid('weakPasswords'),
    );
    await assert.rejects(
      updateProjectScanSettings(
        db,
        'p1',
        { weakPasswords: ['new'], compliancePolicy: 'forbiddenCategorys: [x]' },
        t1,
      ),
      (error: unknown) =>
        invalid('compliancePolicy')(error) &&
        isServiceError(error) &&
        JSON.stringify(error.details['issues']).includes('forbiddenCategorys'),
    );
    await assert.rejects(
      updateProjectScanSettings(db, 'p1', { secretPathAllowlist: ['a/{b'] }, t1),
      invalid('secretPathAllowlist'),
    );
    assert.deepEqual(await getProjectScanSettings(db, 'p1'), before);
    await assert.rejects(
      updateProjectScanSettings(db, 'nope', { weakPasswords: ['x'] }, t1),
      (error: unknown) => isServiceError(error) && error.code === 'not_found',
    );
  });

  it('bounds the weak-password list', () => {
    const many = Array.from({ length: maxWeakPasswords }, (_, index) => `word${index}`);
    assert.equal(validateWeakPasswords(many).length, maxWeakPasswords);
    assert.throws(() => validateWeakPasswords([...many, 'one-more']), invalid('weakPasswords'));
    assert.throws(() => validateWeakPasswords(['line\nbreak']), invalid('weakPasswords'));
  });
});
