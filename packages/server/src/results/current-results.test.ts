import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  BaselineCheckResult,
  ImageReport,
  InventoryPackage,
  SecretFinding,
  VulnerabilityFinding,
} from '@drydock/engine';
import { isServiceError } from '../service-error.ts';
import { currentResults, imageResults, recountImages, riskView } from './current-results.ts';
import { ignoreSecret } from './secret-handling.ts';
import {
  debVulnerability,
  imageReport,
  insertConnection,
  insertImage,
  insertProjects,
  insertResult,
  secretFinding,
  storedImage,
  storedResult,
  storeForTests,
} from './test-fixtures.ts';
import { recordHandling } from './vulnerability-handling.ts';

const t0 = new Date('2025-01-01T00:00:00.000Z');
const at = (minutes: number): Date => new Date(t0.getTime() + minutes * 60_000);
const layer = {
  index: 1,
  digest: 'sha256:l1',
  diffId: undefined,
  createdBy: 'RUN apt-get install -y openssl',
};

function vulnerability(
  id: string,
  name: string,
  severity: VulnerabilityFinding['severity'],
): VulnerabilityFinding {
  return debVulnerability(id, name, severity, {
    layer,
    fixedVersions: ['1.0-2'],
    summary: `${name} is vulnerable`,
  });
}

function secret(ruleId: string, path: string): SecretFinding {
  return secretFinding(ruleId, path, { line: 2, fingerprint: 'f'.repeat(64), layer });
}

function check(id: string, result: BaselineCheckResult['result']): BaselineCheckResult {
  return {
    id,
    title: id,
    area: 'image-config',
    severity: 'medium',
    standard: 'Drydock',
    result,
    remediation: 'fix it',
    evidence: [],
  };
}

const pkg = (name: string): InventoryPackage => ({
  ecosystem: 'deb',
  name,
  version: '1.0-1',
  purl: `pkg:deb/debian/${name}@1.0-1`,
  licenses: ['MIT'],
  path: 'var/lib/dpkg/status',
  origin: 'installed',
  layer,
});

function report(fields: Partial<ImageReport>): ImageReport {
  return imageReport({ packages: [pkg('openssl'), pkg('zlib')], ...fields });
}

const fullReport = report({
  vulnerabilities: [
    vulnerability('CVE-2024-0001', 'openssl', 'critical'),
    vulnerability('CVE-2024-0002', 'zlib', 'low'),
  ],
  secrets: [secret('aws-access-key-id', 'root/.aws/credentials')],
  malware: [
    {
      path: 'tmp/eicar.com',
      size: 68,
      sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
      engine: 'hash',
      signature: 'EICAR-Test-File',
      source: 'builtin',
      severity: 'critical',
      layer,
      inFinalFilesystem: true,
    },
  ],
  baseline: {
    checks: [check('cis-4.1-non-root-user', 'fail'), check('cis-4.6-healthcheck', 'pass')],
    weakPasswords: undefined,
  },
  compliance: {
    findings: [
      {
        type: 'license',
        severity: 'high',
        software: 'zlib',
        version: '1.0-1',
        path: 'var/lib/dpkg/status',
        reason: 'forbidden licence',
        rule: 'license-forbidden:X',
      },
    ],
    licenses: {
      packages: 2,
      byCategory: {
        forbidden: 1,
        restricted: 0,
        reciprocal: 0,
        notice: 0,
        permissive: 1,
        unencumbered: 0,
        unknown: 0,
      },
      undeclared: 0,
      violations: 1,
    },
  },
});

const store = storeForTests(async (db) => {
  await insertProjects(db, t0, 'p1', 'p2');
  await insertConnection(db, t0, { id: 'harbor', type: 'harbor' });
  await insertConnection(db, t0, { id: 'hub', type: 'dockerhub' });
  await insertImage(db, t0, { id: 'multi', connectionId: 'harbor' });
  await insertImage(db, t0, { id: 'single', connectionId: 'hub' });
  await insertImage(db, t0, { id: 'gone', connectionId: 'hub', deletedAt: t0 });
  // multi: linux/amd64 scanned twice (the newer is current), linux/arm64 once.
  await insertResult(
    db,
    at(1),
    report({ vulnerabilities: [vulnerability('CVE-2020-9999', 'zlib', 'high')] }),
    { id: 'multi-amd64-old', imageId: 'multi', platform: 'linux/amd64' },
  );
  await insertResult(db, at(2), fullReport, { id: 'multi-amd64', imageId: 'multi', platform: 'linux/amd64' });
  await insertResult(
    db,
    at(2),
    report({
      platform: { os: 'linux', architecture: 'arm64' },
      vulnerabilities: [vulnerability('CVE-2024-0001', 'openssl', 'critical')],
    }),
    { id: 'multi-arm64', imageId: 'multi', platform: 'linux/arm64' },
  );
  await insertResult(
    db,
    at(3),
    report({
      vulnerabilities: [vulnerability('CVE-2024-0002', 'zlib', 'low')],
      secrets: [secret('generic-password', 'tests/fixture.env')],
    }),
    { id: 'single-1', imageId: 'single' },
  );
  await insertResult(
    db,
    at(3),
    report({ vulnerabilities: [vulnerability('CVE-2024-0003', 'zlib', 'medium')] }),
    { id: 'gone-1', imageId: 'gone' },
  );
});

const now = at(60);

describe('current results', () => {
  it('are the newest result per image and platform, without deleted images unless asked', async () => {
    const current = await currentResults(store.db, { projectId: 'p1' });
    assert.deepEqual(
      current.map((result) => result.id),
      ['multi-amd64', 'multi-arm64', 'single-1'],
    );
    const withDeleted = await currentResults(store.db, { projectId: 'p1', includeDeleted: true });
    assert.deepEqual(
      withDeleted.map((result) => result.id),
      ['gone-1', 'multi-amd64', 'multi-arm64', 'single-1'],
    );
    assert.deepEqual(await currentResults(store.db, { projectId: 'p2' }), []);
    assert.deepEqual(
      (await currentResults(store.db, { projectId: 'p1', imageIds: ['single'] })).map((result) => result.id),
      ['single-1'],
    );
  });

  it('an image report has every platform with handling attached', async () => {
    const { db } = store;
    await recordHandling(
      db,
      {
        projectId: 'p1',
        advisoryId: 'CVE-2024-0001',
        action: 'allowlist',
        scope: { kind: 'registry_types', types: ['harbor'] },
        reason: 'mitigated by the network policy',
        userName: 'alice',
      },
      at(10),
    );
    await ignoreSecret(
      db,
      {
        projectId: 'p1',
        imageId: 'multi',
        ruleId: 'aws-access-key-id',
        path: 'root/.aws/credentials',
        reason: 'revoked',
        userName: 'alice',
      },
      at(10),
    );
    const results = await imageResults(db, 'p1', 'multi', now);
    assert.equal(results.image.registryType, 'harbor');
    assert.deepEqual(
      results.platforms.map((platform) => platform.result.platform),
      ['linux/amd64', 'linux/arm64'],
    );
    const amd64 = results.platforms[0]?.report;
    assert.deepEqual(
      amd64?.vulnerabilities?.map((finding) => [finding.id, finding.handling]),
      [
        ['CVE-2024-0001', 'allowlisted'],
        ['CVE-2024-0002', 'open'],
      ],
    );
    assert.equal(amd64?.secrets?.[0]?.ignoredBy?.by, 'ignore');
    assert.equal(amd64?.malware?.length, 1, 'the rest of the report is kept');

    // The same advisory on the Docker Hub image is not allowlisted.
    const single = await imageResults(db, 'p1', 'single', now);
    assert.equal(single.platforms[0]?.report.secrets?.[0]?.ignoredBy, null);
    await assert.rejects(
      imageResults(db, 'p2', 'multi', now),
      (error: unknown) => isServiceError(error) && error.code === 'not_found',
    );
  });

  it('risk views list findings across images with severity, handling and image filters', async () => {
    const { db } = store;
    const critical = await riskView(db, {
      projectId: 'p1',
      kind: 'vulnerability',
      filter: { severities: ['critical'] },
      now,
    });
    assert.deepEqual(
      critical.map((row) => [row.image.id, row.platform, row.finding.id, row.finding.handling]),
      [
        ['multi', 'linux/amd64', 'CVE-2024-0001', 'allowlisted'],
        ['multi', 'linux/arm64', 'CVE-2024-0001', 'allowlisted'],
      ],
    );
    const open = await riskView(db, {
      projectId: 'p1',
      kind: 'vulnerability',
      filter: { handling: ['open'] },
      now,
    });
    assert.deepEqual(
      open.map((row) => [row.image.id, row.finding.id]),
      [
        ['multi', 'CVE-2024-0002'],
        ['single', 'CVE-2024-0002'],
      ],
    );
    const onlySingle = await riskView(db, {
      projectId: 'p1',
      kind: 'vulnerability',
      filter: { imageIds: ['single'] },
      now,
    });
    assert.deepEqual(
      onlySingle.map((row) => row.finding.id),
      ['CVE-2024-0002'],
    );
    const secrets = await riskView(db, {
      projectId: 'p1',
      kind: 'secret',
      filter: { handling: ['open'] },
      now,
    });
    assert.deepEqual(
      secrets.map((row) => [row.image.id, row.finding.path]),
      [['single', 'tests/fixture.env']],
    );
    const baseline = await riskView(db, { projectId: 'p1', kind: 'baseline', now });
    assert.deepEqual(
      baseline.map((row) => row.finding.id),
      ['cis-4.1-non-root-user'],
      'failed checks only',
    );
    assert.equal((await riskView(db, { projectId: 'p1', kind: 'malware', now })).length, 1);
    assert.equal((await riskView(db, { projectId: 'p1', kind: 'compliance', now })).length, 1);
    const inventory = await riskView(db, {
      projectId: 'p1',
      kind: 'inventory',
      filter: { severities: ['critical'] },
      now,
    });
    assert.equal(
      inventory.length,
      6,
      'two packages on each of three platforms; severity does not filter packages',
    );
  });

  it('recounting applies the handling to stored counts and sums the platforms on the image', async () => {
    const { db } = store;
    const recounted = await recountImages(db, { projectId: 'p1', now, advisoryId: 'CVE-2024-0001' });
    assert.equal(recounted, 2, 'only the results holding the advisory');
    const amd64 = await storedResult(db, 'multi-amd64');
    assert.deepEqual(amd64.riskCounts, {
      vulnerability: { critical: 0, high: 0, medium: 0, low: 1, unknown: 0 },
      secret: 0,
      malware: 1,
      baseline: 1,
      compliance: 1,
    });
    assert.equal(amd64.riskLevel, 'critical', 'the malicious file is still critical');
    const arm64 = await storedResult(db, 'multi-arm64');
    assert.equal(arm64.riskLevel, 'none');
    const image = await storedImage(db, 'multi');
    assert.deepEqual(image.riskCounts, amd64.riskCounts);
    assert.equal(image.riskLevel, 'critical');
    const single = await storedImage(db, 'single');
    assert.equal(single.riskCounts, null, 'images without the advisory are not touched');
  });
});
