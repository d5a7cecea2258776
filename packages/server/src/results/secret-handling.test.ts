import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isServiceError } from '../service-error.ts';
import { updateProjectScanSettings } from './project-scan-settings.ts';
import {
  compileSecretPathAllowlist,
  ignoreSecret,
  listSecretIgnores,
  loadSecretHandling,
  secretIgnoredBy,
  unignoreSecret,
} from './secret-handling.ts';
import {
  insertConnection,
  insertImage,
  insertProjects,
  secretFinding,
  storeForTests,
} from './test-fixtures.ts';

const t0 = new Date('2025-01-01T00:00:00.000Z');
const later = new Date('2025-01-02T00:00:00.000Z');

const store = storeForTests(async (db) => {
  await insertProjects(db, t0, 'p1', 'p2');
  await insertConnection(db, t0, { id: 'c1', name: 'local', type: 'registry', url: 'http://127.0.0.1:5000' });
  for (const id of ['img-a', 'img-b']) await insertImage(db, t0, { id, connectionId: 'c1' });
});

const input = {
  projectId: 'p1',
  ruleId: 'aws-access-key-id',
  path: 'root/.aws/credentials',
  reason: 'a revoked test key',
  userName: 'alice',
};

describe('secret ignores', () => {
  it('ignores a finding in one image or in all, and un-ignoring keeps the history', async () => {
    const { db } = store;
    const inA = await ignoreSecret(db, { ...input, imageId: 'img-a' }, t0);
    const everywhere = await ignoreSecret(db, { ...input, ruleId: 'github-pat', path: 'app/.env' }, t0);
    assert.equal(everywhere.imageId, null);

    let rules = await loadSecretHandling(db, 'p1');
    const aws = secretFinding('aws-access-key-id', 'root/.aws/credentials');
    const github = secretFinding('github-pat', 'app/.env');
    assert.deepEqual(secretIgnoredBy(rules, 'img-a', aws), {
      by: 'ignore',
      ignoreId: inA.id,
      reason: 'a revoked test key',
      userName: 'alice',
      at: t0,
    });
    assert.equal(secretIgnoredBy(rules, 'img-b', aws), undefined, 'ignored in img-a only');
    assert.equal(secretIgnoredBy(rules, 'img-b', github)?.by, 'ignore');
    assert.equal(
      secretIgnoredBy(rules, 'img-a', secretFinding('aws-access-key-id', 'root/other')),
      undefined,
    );

    await assert.rejects(
      ignoreSecret(db, { ...input, imageId: 'img-a' }, later),
      (error: unknown) => isServiceError(error) && error.code === 'conflict',
    );
    const removed = await unignoreSecret(db, 'p1', inA.id, later);
    assert.equal(removed.removedAt?.toISOString(), later.toISOString());
    await assert.rejects(
      unignoreSecret(db, 'p1', inA.id, later),
      (error: unknown) => isServiceError(error) && error.code === 'conflict',
    );
    await assert.rejects(
      unignoreSecret(db, 'p2', everywhere.id, later),
      (error: unknown) => isServiceError(error) && error.code === 'not_found',
    );

    rules = await loadSecretHandling(db, 'p1');
    assert.equal(secretIgnoredBy(rules, 'img-a', aws), undefined);
    assert.deepEqual(
      (await listSecretIgnores(db, 'p1')).map((entry) => entry.id),
      [everywhere.id],
    );
    const history = await listSecretIgnores(db, 'p1', { includeRemoved: true, imageId: 'img-a' });
    assert.deepEqual(history.map((entry) => entry.id).sort(), [everywhere.id, inA.id].sort());
  });

  it('validates the input', async () => {
    const { db } = store;
    const invalid = (field: string) => (error: unknown) =>
      isServiceError(error) && error.code === 'invalid_request' && error.details['field'] === field;
    await assert.rejects(ignoreSecret(db, { ...input, reason: '' }, t0), invalid('reason'));
    await assert.rejects(ignoreSecret(db, { ...input, ruleId: ' ' }, t0), invalid('ruleId'));
    await assert.rejects(
      ignoreSecret(db, { ...input, imageId: 'img-of-nobody' }, t0),
      (error: unknown) => isServiceError(error) && error.code === 'not_found',
    );
  });
});

describe('secret path allowlist', () => {
  it('matches with the scan’s glob rules: base names anywhere, anchored paths, ** across directories', () => {
    const allowlist = compileSecretPathAllowlist(['*.pem', '/opt/fixtures/**', 'docs/**/example.env']);
    assert.equal(allowlist.match('etc/ssl/private/server.pem'), '*.pem');
    assert.equal(allowlist.match('opt/fixtures/keys/id_rsa'), '/opt/fixtures/**');
    assert.equal(allowlist.match('srv/opt/fixtures/id_rsa'), undefined);
    assert.equal(allowlist.match('docs/a/b/example.env'), 'docs/**/example.env');
    assert.equal(allowlist.match('app/.env'), undefined);
  });

  it('rejects empty and malformed globs with a typed error', () => {
    assert.throws(
      () => compileSecretPathAllowlist(['ok/**', '']),
      (error: unknown) => isServiceError(error) && error.code === 'invalid_request',
    );
    assert.throws(
      () => compileSecretPathAllowlist(['app/{a,b']),
      (error: unknown) =>
        isServiceError(error) &&
        error.details['field'] === 'secretPathAllowlist' &&
        Array.isArray(error.details['issues']),
    );
  });

  it('counts findings in allowed files as ignored at read time, but not configuration findings', async () => {
    const { db } = store;
    await updateProjectScanSettings(db, 'p1', { secretPathAllowlist: ['tests/**'] }, t0);
    const rules = await loadSecretHandling(db, 'p1');
    assert.deepEqual(secretIgnoredBy(rules, 'img-b', secretFinding('generic-password', 'tests/config.yml')), {
      by: 'path_allowlist',
      glob: 'tests/**',
    });
    assert.equal(
      secretIgnoredBy(rules, 'img-b', secretFinding('generic-password', 'app/config.yml')),
      undefined,
    );
    assert.equal(
      secretIgnoredBy(rules, 'img-b', secretFinding('generic-password', 'tests/x', { location: 'config' })),
      undefined,
    );
    // Another project has its own list.
    const other = await loadSecretHandling(db, 'p2');
    assert.equal(
      secretIgnoredBy(other, 'img-b', secretFinding('generic-password', 'tests/config.yml')),
      undefined,
    );
  });
});
