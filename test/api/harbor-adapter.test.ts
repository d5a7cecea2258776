import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import {
  FakeHarborScannerClient,
  type FakeHarborAnswer,
  type FakeHarborScanRequest,
} from '../harness/fake-harbor-scanner-client.ts';
import { buildTestImage, RegistryPusher, dockerManifestType } from '../harness/registry-push.ts';
import { defaultTestUser, startRegistry, type TestRegistry } from '../harness/registry.ts';
import { startTestApi, type TestApi } from './api-harness.ts';
import { buildDatabaseFromRecords } from '../harness/vulnerability-database.ts';

// Made-up advisories about a made-up package: test data only.
const widget = 'drydock-test-widget';
const vector = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const vulnerabilityReportType = 'application/vnd.security.vulnerability.report; version=1.1';
const harborReportType = 'application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0';
const sbomReportType = 'application/vnd.security.sbom.report+json; version=1.0';
const errorType = 'application/vnd.scanner.adapter.error+json; version=1.0';

const schemaFile = join(
  import.meta.dirname,
  '..',
  'fixtures',
  'schemas',
  'harbor-scanner-adapter-v1.2.schema.json',
);
let schemas: Ajv;
let schemaId: string;

function validator(name: string): ValidateFunction {
  const validate = schemas.getSchema(`${schemaId}#/definitions/${name}`);
  assert.ok(validate, `the fixture defines ${name}`);
  return validate;
}

function assertValid(name: string, document: unknown): void {
  const validate = validator(name);
  assert.ok(validate(document), `${name}: ${JSON.stringify(validate.errors)}`);
}

function assertError(answer: FakeHarborAnswer, status: number): string {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal(answer.contentType, errorType);
  assertValid('ErrorResponse', answer.body);
  const message = (answer.body as { error: { message: string } }).error.message;
  assert.equal(typeof message, 'string');
  return message;
}

let work: string;
let databaseBuiltAt: string;
let registry: TestRegistry;
let api: TestApi;
let baseUrl: string;
let digest: string;
let scanToken: string;
let outsiderToken: string;
let viewerToken: string;
let rootToken: string;

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function requestFor(authorization: string): FakeHarborScanRequest {
  return {
    registry: { url: registry.url, authorization },
    artifact: { repository: 'library/web', digest, tag: '1', mime_type: dockerManifestType },
    enabled_capabilities: [
      { type: 'vulnerability', produces_mime_types: [vulnerabilityReportType] },
      { type: 'sbom', parameters: { sbom_media_types: ['application/vnd.cyclonedx+json'] } },
    ],
  };
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-harbor-'));
  const database = await buildDatabaseFromRecords(work, 'vulns', [
    {
      schema_version: '1.6.0',
      id: 'DRYDOCK-TEST-1',
      modified: '2026-01-01T00:00:00Z',
      published: '2025-12-01T00:00:00Z',
      summary: `DRYDOCK-TEST-1 in ${widget}`,
      details: 'A made-up flaw for the Harbor adapter test.',
      severity: [{ type: 'CVSS_V3', score: vector }],
      references: [{ type: 'ADVISORY', url: 'https://advisories.example.com/DRYDOCK-TEST-1' }],
      affected: [
        {
          package: { ecosystem: 'npm', name: widget },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }],
        },
      ],
    },
  ]);

  const ajv = new Ajv({ strict: false, allErrors: true });
  (ajvFormats as unknown as { default: (ajv: Ajv) => Ajv }).default(ajv);
  const schema = JSON.parse(await readFile(schemaFile, 'utf8')) as { $id: string };
  ajv.addSchema(schema);
  schemas = ajv;
  schemaId = schema.$id;

  registry = await startRegistry({ auth: 'basic' });
  const image = await buildTestImage({
    layers: [
      {
        'app/package.json': JSON.stringify({
          name: 'app',
          version: '1.0.0',
          dependencies: { [widget]: '^1.2.0' },
        }),
        [`app/node_modules/${widget}/package.json`]: JSON.stringify({
          name: widget,
          version: '1.2.0',
          license: 'MIT',
        }),
      },
    ],
  });
  await new RegistryPusher(registry).pushImage('library/web', '1', image);
  digest = image.manifest.digest;

  api = await startTestApi({ service: { engines: { vulnerabilityDatabasePath: database } } });
  databaseBuiltAt = api.env.service.vulnerabilityDatabase.database?.status().builtAt ?? '';
  const token = async (user: string, input: Record<string, unknown>) =>
    (await api.access.createToken(api.userIds.get(user) ?? '', { name: `harbor-${user}`, ...input })).token;
  scanToken = await token('operator', { projectId: api.projectA, permissions: ['images:set'] });
  outsiderToken = await token('outsider', { projectId: api.projectB });
  viewerToken = await token('viewer', { projectId: api.projectA });
  rootToken = await token('root', {});
  const address = await api.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `${address}/harbor`;
});

after(async () => {
  await api?.close();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('Harbor pluggable scanner adapter', () => {
  test('metadata names the scanner, its capabilities and the database time, as the spec describes', async () => {
    const harbor = new FakeHarborScannerClient({ url: baseUrl, credential: scanToken });
    const answer = await harbor.metadata();
    assert.equal(answer.status, 200);
    assert.equal(answer.contentType, 'application/vnd.scanner.adapter.metadata+json; version=1.1');
    assertValid('ScannerAdapterMetadata', answer.body);
    const metadata = answer.body as {
      scanner: { name: string };
      capabilities: { type: string; consumes_mime_types: string[]; produces_mime_types: string[] }[];
      properties: Record<string, string>;
    };
    assert.equal(metadata.scanner.name, 'Drydock');
    const vulnerability = metadata.capabilities.find((capability) => capability.type === 'vulnerability');
    assert.deepEqual(vulnerability?.consumes_mime_types, [
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ]);
    assert.deepEqual(vulnerability?.produces_mime_types, [harborReportType, vulnerabilityReportType]);
    const sbom = metadata.capabilities.find((capability) => capability.type === 'sbom');
    assert.deepEqual(sbom?.produces_mime_types, [sbomReportType]);
    assert.equal(metadata.properties['harbor.scanner-adapter/scanner-type'], 'os-package-vulnerability');
    assert.ok(databaseBuiltAt !== '');
    assert.equal(
      metadata.properties['harbor.scanner-adapter/vulnerability-database-updated-at'],
      databaseBuiltAt,
    );
    // The adapter is not part of Drydock's own API document.
    const document = (await api.app.inject({ method: 'GET', url: '/api/v1/docs/json' })).json<{
      paths: Record<string, unknown>;
    }>();
    assert.ok(Object.keys(document.paths).every((path) => !path.startsWith('/harbor')));
  });

  test('scan, poll on 302 Refresh-After, then the report in each requested type; billed once as a CI scan', async () => {
    const harbor = new FakeHarborScannerClient({ url: baseUrl, credential: scanToken, auth: 'APIKey' });
    const password = defaultTestUser.password;
    const accepted = await harbor.scan(requestFor(basic(defaultTestUser.username, password)));
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    assert.equal(accepted.contentType, 'application/vnd.scanner.adapter.scan.response+json; version=1.0');
    assertValid('ScanResponse', accepted.body);
    const { id } = accepted.body as { id: string };

    const answer = await harbor.pollReport(id, vulnerabilityReportType);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.contentType, vulnerabilityReportType);
    assertValid('HarborVulnerabilityReport', answer.body);
    const report = answer.body as {
      artifact: unknown;
      scanner: { name: string };
      severity: string;
      vulnerabilities: {
        id: string;
        package: string;
        version: string;
        fix_version?: string;
        severity: string;
        description?: string;
        links: string[];
        preferred_cvss?: { vector_v3?: string; score_v3?: number };
      }[];
    };
    assert.deepEqual(report.artifact, {
      repository: 'library/web',
      digest,
      tag: '1',
      mime_type: dockerManifestType,
    });
    assert.equal(report.scanner.name, 'Drydock');
    assert.equal(report.severity, 'Critical');
    assert.equal(report.vulnerabilities.length, 1);
    const [finding] = report.vulnerabilities;
    assert.equal(finding?.id, 'DRYDOCK-TEST-1');
    assert.equal(finding?.package, widget);
    assert.equal(finding?.version, '1.2.0');
    assert.equal(finding?.fix_version, '1.3.0');
    assert.equal(finding?.severity, 'Critical');
    assert.match(finding?.description ?? '', /made-up flaw/);
    assert.deepEqual(finding?.links, ['https://advisories.example.com/DRYDOCK-TEST-1']);
    assert.equal(finding?.preferred_cvss?.vector_v3, vector);
    assert.equal(finding?.preferred_cvss?.score_v3, 9.8);

    // Spec 1.0's report type is the same document.
    const older = await harbor.report(id, harborReportType);
    assert.equal(older.status, 200);
    assert.equal(older.contentType, harborReportType);
    assert.deepEqual(older.body, answer.body);

    const sbom = await harbor.report(id, sbomReportType, 'application/vnd.cyclonedx+json');
    assert.equal(sbom.status, 200, JSON.stringify(sbom.body));
    assert.equal(sbom.contentType, sbomReportType);
    assertValid('HarborSbomReport', sbom.body);
    const sbomReport = sbom.body as {
      media_type: string;
      sbom: { bomFormat: string; components?: { name: string }[] };
    };
    assert.equal(sbomReport.media_type, 'application/vnd.cyclonedx+json');
    assert.equal(sbomReport.sbom.bomFormat, 'CycloneDX');
    assert.ok(sbomReport.sbom.components?.some((component) => component.name === widget));
    const spdx = await harbor.report(id, sbomReportType, 'application/spdx+json');
    assert.equal(spdx.status, 200);
    assert.equal((spdx.body as { sbom: { spdxVersion: string } }).sbom.spdxVersion, 'SPDX-2.3');

    // Billed once, as a CI scan, however often the report is fetched.
    const { db, meter, clock } = api.env.service;
    const events = await db
      .selectFrom('billingEvent')
      .selectAll()
      .where('key', '=', `harbor:${id}`)
      .execute();
    assert.equal(events.length, 1);
    assert.equal(events[0]?.source, 'ci');
    assert.equal(events[0]?.projectId, api.projectA);
    const month = clock.now().toISOString().slice(0, 7);
    const usage = await meter.usage(db, api.projectA, month);
    assert.equal(usage.ciScans, 1);
    assert.equal(usage.repositoryScans, 0);

    // The registry authorization is gone once the scan ended, and was never sealed as plain text.
    const row = await db.selectFrom('harborScan').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.authorizationSealed, null);
    assert.equal(row.status, 'succeeded');
  });

  test('a registry that refuses the authorization: the report call answers the error, nothing is billed', async () => {
    const harbor = new FakeHarborScannerClient({ url: baseUrl, credential: scanToken });
    const accepted = await harbor.scan(requestFor(basic(defaultTestUser.username, 'not-the-password')));
    assert.equal(accepted.status, 202);
    const { id } = accepted.body as { id: string };
    const answer = await harbor.pollReport(id, vulnerabilityReportType);
    const message = assertError(answer, 500);
    assert.match(message, /auth|credential|denied|unauthori/i);
    assert.doesNotMatch(message, /not-the-password/);
    const { db } = api.env.service;
    const billed = await db
      .selectFrom('billingEvent')
      .select('key')
      .where('key', '=', `harbor:${id}`)
      .execute();
    assert.equal(billed.length, 0);
    const row = await db.selectFrom('harborScan').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'failed');
    assert.equal(row.authorizationSealed, null);
  });

  test('authentication: no token or a wrong one is 401, a token beyond one project or without images:set is 403', async () => {
    for (const credential of [undefined, 'ddk_not-a-token']) {
      const harbor = new FakeHarborScannerClient({ url: baseUrl, ...(credential ? { credential } : {}) });
      assertError(await harbor.metadata(), 401);
      assertError(await harbor.scan(requestFor('')), 401);
      assertError(await harbor.report('whatever', vulnerabilityReportType), 401);
    }
    for (const credential of [viewerToken, rootToken]) {
      const harbor = new FakeHarborScannerClient({ url: baseUrl, credential });
      assertError(await harbor.scan(requestFor('')), 403);
    }
  });

  test('bad requests are 400, unusable fields 422, unknown ids 404, unsupported types 501', async () => {
    const harbor = new FakeHarborScannerClient({ url: baseUrl, credential: scanToken });
    assertError(await harbor.scan('{"registry": '), 400);
    assertError(await harbor.scan(JSON.stringify({ registry: { url: registry.url } })), 400);
    const request = requestFor('');
    assertError(await harbor.scan({ ...request, artifact: { ...request.artifact, digest: 'latest' } }), 400);
    assertError(await harbor.scan({ ...request, registry: { url: 'ftp://registry.example.com' } }), 422);
    assertError(
      await harbor.scan({ ...request, registry: { url: registry.url, authorization: 'Digest abc' } }),
      422,
    );
    assertError(
      await harbor.scan({
        ...request,
        artifact: { ...request.artifact, mime_type: 'application/vnd.oci.image.index.v1+json' },
      }),
      501,
    );

    assertError(await harbor.report('3fa85f64-5717-4562-b3fc-2c963f66afa6', vulnerabilityReportType), 404);
    const accepted = await harbor.scan(requestFor(basic(defaultTestUser.username, defaultTestUser.password)));
    const { id } = accepted.body as { id: string };
    // Another project's token does not see it.
    const outsider = new FakeHarborScannerClient({ url: baseUrl, credential: outsiderToken });
    assertError(await outsider.report(id, vulnerabilityReportType), 404);
    assertError(await harbor.report(id, 'application/vnd.scanner.adapter.vuln.report.raw'), 501);
    assertError(await harbor.report(id, sbomReportType), 400);
    assertError(await harbor.report(id, sbomReportType, 'text/plain'), 400);
    assert.equal((await harbor.pollReport(id, harborReportType)).status, 200);
  });
});
