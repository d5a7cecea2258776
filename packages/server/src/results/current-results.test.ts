import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  BaselineCheckResult,
  ImageReport,
  InventoryPackage,
  SecretFinding,
  VulnerabilityFinding,
} from '@drydock/engine';
import { isServiceError } from '../service-error.ts';
import { toJson } from '../store/json.ts';
import type { RegistryType, RiskType } from '../store/schema.ts';
import { openStore, type Store } from '../store/store.ts';
import { currentResults, imageResults, recountImages, riskView } from './current-results.ts';
import { riskCounts, riskLevel } from './risk-summary.ts';
import { ignoreSecret } from './secret-handling.ts';
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
  return {
    id,
    aliases: [],
    status: 'affected',
    package: {
      ecosystem: 'deb',
      name,
      version: '1.0-1',
      purl: `pkg:deb/debian/${name}@1.0-1`,
      path: 'var/lib/dpkg/status',
      layer,
    },
    installedVersion: '1.0-1',
    fixedVersions: ['1.0-2'],
    severity,
    severitySource: 'test',
    summary: `${name} is vulnerable`,
    description: undefined,
    references: [],
    published: undefined,
    modified: '2024-01-01T00:00:00Z',
    evidence: {
      osvEcosystem: 'Debian:12',
      osvPackage: name,
      matchedBy: 'name',
      scheme: 'dpkg',
      range: undefined,
    },
  };
}

function secret(ruleId: string, path: string): SecretFinding {
  return {
    ruleId,
    title: ruleId,
    severity: 'high',
    category: 'cloud',
    path,
    line: 2,
    secret: 'AKIA************MPLE',
    excerpt: 'key = AKIA************MPLE',
    fingerprint: 'f'.repeat(64),
    location: 'file',
    layer,
    inFinalFilesystem: true,
  };
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
  return {
    platform: { os: 'linux', architecture: 'amd64' },
    manifestDigest: undefined,
    configDigest: undefined,
    repoTags: [],
    created: undefined,
    config: {
      user: undefined,
      env: [],
      entrypoint: [],
      cmd: [],
      workingDir: undefined,
      exposedPorts: [],
      labels: {},
      healthcheck: undefined,
    },
    os: undefined,
    layers: [],
    packages: [pkg('openssl'), pkg('zlib')],
    vulnerabilities: [],
    files: {
      files: 0,
      directories: 0,
      symlinks: 0,
      totalBytes: 0,
      largest: [],
      setuid: [],
      setgid: [],
      worldWritable: [],
    },
    diagnostics: [],
    durationMs: 0,
    ...fields,
  };
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

let store: Store;

async function addConnection(id: string, type: RegistryType): Promise<void> {
  await store.db
    .insertInto('registryConnection')
    .values({
      id,
      projectId: 'p1',
      name: id,
      type,
      url: 'https://registry.example',
      credentialsSealed: null,
      caPem: null,
      skipTlsVerify: false,
      include: toJson([]),
      exclude: toJson([]),
      namespaces: toJson([]),
      credentialExpiresAt: null,
      maxConcurrentPulls: 4,
      status: 'ok',
      statusReason: null,
      statusMessage: null,
      checkedAt: null,
      createdAt: t0,
      updatedAt: t0,
    })
    .execute();
}

async function addImage(id: string, connectionId: string, deleted = false): Promise<void> {
  await store.db
    .insertInto('repositoryImage')
    .values({
      id,
      projectId: 'p1',
      connectionId,
      namespace: 'team',
      repository: `team/${id}`,
      tag: 'v1',
      pullRegistry: 'registry.example',
      pullRepository: `team/${id}`,
      digest: `sha256:${id}`,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 1,
      platforms: toJson([]),
      pushedAt: null,
      syncedAt: t0,
      deletedAt: deleted ? t0 : null,
      scanStatus: 'succeeded',
      failureCode: null,
      failureMessage: null,
      lastScanAt: t0,
      riskCounts: null,
      riskLevel: null,
      createdAt: t0,
    })
    .execute();
}

async function addResult(
  id: string,
  imageId: string,
  platform: string,
  createdAt: Date,
  body: ImageReport,
): Promise<void> {
  const riskTypes: RiskType[] = ['vulnerability', 'secret', 'malware', 'baseline', 'compliance'];
  await store.db
    .insertInto('scanResult')
    .values({
      id,
      projectId: 'p1',
      imageId,
      taskId: null,
      digest: `sha256:${id}`,
      platform,
      report: toJson<unknown>(body),
      riskTypes: toJson(riskTypes),
      riskCounts: toJson(riskCounts(body)),
      riskLevel: riskLevel(body),
      matchedAt: createdAt,
      databaseBuiltAt: null,
      createdAt,
    })
    .execute();
}

before(async () => {
  store = await openStore({ kind: 'pglite' });
  await store.db
    .insertInto('project')
    .values({ id: 'p1', name: 'one', timeZone: 'UTC', createdAt: t0 })
    .execute();
  await store.db
    .insertInto('project')
    .values({ id: 'p2', name: 'two', timeZone: 'UTC', createdAt: t0 })
    .execute();
  await addConnection('harbor', 'harbor');
  await addConnection('hub', 'dockerhub');
  await addImage('multi', 'harbor');
  await addImage('single', 'hub');
  await addImage('gone', 'hub', true);
  // multi: linux/amd64 scanned twice (the newer is current), linux/arm64 once.
  await addResult(
    'multi-amd64-old',
    'multi',
    'linux/amd64',
    at(1),
    report({ vulnerabilities: [vulnerability('CVE-2020-9999', 'zlib', 'high')] }),
  );
  await addResult('multi-amd64', 'multi', 'linux/amd64', at(2), fullReport);
  await addResult(
    'multi-arm64',
    'multi',
    'linux/arm64',
    at(2),
    report({
      platform: { os: 'linux', architecture: 'arm64' },
      vulnerabilities: [vulnerability('CVE-2024-0001', 'openssl', 'critical')],
    }),
  );
  await addResult(
    'single-1',
    'single',
    '',
    at(3),
    report({
      vulnerabilities: [vulnerability('CVE-2024-0002', 'zlib', 'low')],
      secrets: [secret('generic-password', 'tests/fixture.env')],
    }),
  );
  await addResult(
    'gone-1',
    'gone',
    '',
    at(3),
    report({ vulnerabilities: [vulnerability('CVE-2024-0003', 'zlib', 'medium')] }),
  );
});

after(async () => {
  await store.close();
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
    const amd64 = await db
      .selectFrom('scanResult')
      .selectAll()
      .where('id', '=', 'multi-amd64')
      .executeTakeFirstOrThrow();
    assert.deepEqual(amd64.riskCounts, {
      vulnerability: { critical: 0, high: 0, medium: 0, low: 1, unknown: 0 },
      secret: 0,
      malware: 1,
      baseline: 1,
      compliance: 1,
    });
    assert.equal(amd64.riskLevel, 'critical', 'the malicious file is still critical');
    const arm64 = await db
      .selectFrom('scanResult')
      .selectAll()
      .where('id', '=', 'multi-arm64')
      .executeTakeFirstOrThrow();
    assert.equal(arm64.riskLevel, 'none');
    const image = await db
      .selectFrom('repositoryImage')
      .selectAll()
      .where('id', '=', 'multi')
      .executeTakeFirstOrThrow();
    assert.deepEqual(image.riskCounts, amd64.riskCounts);
    assert.equal(image.riskLevel, 'critical');
    const single = await db
      .selectFrom('repositoryImage')
      .selectAll()
      .where('id', '=', 'single')
      .executeTakeFirstOrThrow();
    assert.equal(single.riskCounts, null, 'images without the advisory are not touched');
  });
});
