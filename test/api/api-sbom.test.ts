import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { importSource } from '@drydock/engine';
import { fake } from '../../packages/engine/src/analyzer/secret/rule-vectors.ts';
import { buildIndex, buildTestImage, RegistryPusher } from '../harness/registry-push.ts';
import { startRegistry, type TestRegistry } from '../harness/registry.ts';
import { cycloneDxErrors, spdxErrors } from '../harness/schemas.ts';
import { runTaskToEnd } from '../harness/service.ts';
import { json, startTestApi, type TestApi } from './api-harness.ts';

/**
 * The per-image SBOM download (`GET .../images/{imageId}/sbom`) against images a real registry
 * serves and the service's workers scan with a real vulnerability database (the Node.js security
 * advisories of ../shared/vulndata): CycloneDX and SPDX documents that validate against their
 * published schemas, hold exactly the report's packages of the platform asked for, and nothing of
 * the findings (vulnerabilities, the secret in the image); who may download; the platform rule of
 * multi-platform images; an image never scanned.
 */

const vulndata = join(import.meta.dirname, '..', '..', '..', 'shared', 'vulndata');
const githubToken = `ghp_${fake('b62', 36)}`;

const apkDatabase = (arch: string, packages: readonly (readonly [string, string, string])[]) =>
  packages.map(([name, version, license]) => `P:${name}\nV:${version}\nA:${arch}\nL:${license}\n\n`).join('');

const alpineRelease = {
  'etc/alpine-release': '3.19.1\n',
  'etc/os-release': 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n',
};

const npmManifest = (name: string, version: string, license: string) =>
  `${JSON.stringify({ name, version, license })}\n`;

interface CycloneDxBom {
  readonly metadata: { readonly component: { readonly name: string } };
  readonly components: readonly { readonly type: string; readonly name: string; readonly purl?: string }[];
  readonly vulnerabilities?: unknown;
}

interface SpdxDocument {
  readonly name: string;
  readonly packages: readonly {
    readonly name: string;
    readonly primaryPackagePurpose: string;
    readonly comment?: string;
    readonly externalRefs?: readonly { readonly referenceLocator: string }[];
  }[];
}

describe('the per-image SBOM download', () => {
  let work: string;
  let registry: TestRegistry;
  let api: TestApi;
  let base: string;
  const ids: Record<string, string> = {};

  const sbom = (user: string | undefined, imageId: string, query: string, projectBase = base) =>
    api.call(user, { method: 'GET', url: `${projectBase}/images/${imageId}/sbom${query}` });

  /** The purls of a platform's packages as the report's Software section answers them. */
  async function reportPurls(imageId: string, platform: string): Promise<string[]> {
    const reply = await api.call('viewer', {
      method: 'GET',
      url: `${base}/images/${imageId}/report/software?platform=${encodeURIComponent(platform)}`,
    });
    assert.equal(reply.statusCode, 200, reply.body);
    const [entry] = json(reply)['platforms'] as { section: { packages: { purl: string }[] } }[];
    assert.ok(entry);
    return entry.section.packages.map((pkg) => pkg.purl).sort();
  }

  function assertNoFindings(response: LightMyRequestResponse): void {
    for (const text of [githubToken, 'ghp_', 'GITHUB_TOKEN', 'srv/app/.env', 'GHSA-', 'CVE-'])
      assert.equal(response.body.includes(text), false, `the SBOM holds ${text}`);
  }

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'drydock-api-sbom-'));
    const database = join(work, 'vulndb.sqlite');
    await importSource(database, join(vulndata, 'nodejs-security-wg/npm.jsonl'));
    registry = await startRegistry({ auth: 'none' });
    const pusher = new RegistryPusher(registry);
    const amd = await buildTestImage({
      architecture: 'amd64',
      layers: [
        {
          ...alpineRelease,
          'lib/apk/db/installed': apkDatabase('x86_64', [
            ['musl', '1.2.4_git20230717-r4', 'MIT'],
            ['busybox', '1.36.1-r15', 'GPL-2.0-only'],
          ]),
        },
        {
          'srv/app/.env': `GITHUB_TOKEN=${githubToken}\n`,
          'srv/app/node_modules/marked/package.json': npmManifest('marked', '0.3.5', 'MIT'),
          'srv/app/node_modules/ghostwriter/package.json': npmManifest(
            'ghostwriter',
            '1.2.0',
            'AGPL-3.0-only',
          ),
        },
      ],
    });
    const arm = await buildTestImage({
      architecture: 'arm64',
      variant: 'v8',
      layers: [
        {
          ...alpineRelease,
          'lib/apk/db/installed': apkDatabase('aarch64', [['musl', '1.2.4_git20230717-r4', 'MIT']]),
        },
      ],
    });
    const index = buildIndex([
      { image: amd, platform: { os: 'linux', architecture: 'amd64' } },
      { image: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ]);
    await pusher.pushIndex('shop/web', '1.0', index, [amd, arm]);
    await pusher.pushImage(
      'shop/db',
      '2.0',
      await buildTestImage({
        layers: [
          {
            ...alpineRelease,
            'lib/apk/db/installed': apkDatabase('x86_64', [['postgresql16', '16.2-r0', 'PostgreSQL']]),
          },
        ],
      }),
    );
    await pusher.pushImage('shop/new', '1', await buildTestImage({ layers: [{ 'etc/new': 'new\n' }] }));

    api = await startTestApi({ service: { engines: { vulnerabilityDatabasePath: database } } });
    base = `/api/v1/projects/${api.projectA}`;
    const created = await api.call('admin', {
      method: 'POST',
      url: `${base}/registries`,
      payload: { name: 'local', type: 'registry', url: registry.url },
    });
    assert.equal(created.statusCode, 201, created.body);
    await api.call('admin', { method: 'POST', url: `${base}/sync-tasks`, payload: {} });
    await api.env.service.sync.settle();
    const listed = json(await api.call('admin', { method: 'GET', url: `${base}/images` }));
    for (const row of listed['images'] as { id: string; repository: string; tag: string }[])
      ids[`${row.repository}:${row.tag}`] = row.id;
    const scanned = [ids['shop/web:1.0'], ids['shop/db:2.0']];
    assert.ok(scanned.every((id) => id !== undefined) && ids['shop/new:1'], JSON.stringify(ids));
    const request = { scope: { kind: 'images', imageIds: scanned }, riskTypes: ['vulnerability', 'secret'] };
    const estimate = json(
      await api.call('admin', { method: 'POST', url: `${base}/estimates`, payload: request }),
    );
    const started = await api.call('admin', {
      method: 'POST',
      url: `${base}/scan-tasks`,
      payload: { ...request, estimateId: estimate['id'] },
    });
    assert.equal(started.statusCode, 201, started.body);
    const task = await runTaskToEnd(api.env.service, api.projectA, String(json(started)['id']));
    assert.deepEqual([task.counts.total, task.counts.succeeded], [3, 3], JSON.stringify(task.counts));
  });

  after(async () => {
    await api?.close();
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('CycloneDX: a valid document of the platform’s packages, as a named attachment, without findings', async () => {
    const imageId = String(ids['shop/web:1.0']);
    const response = await sbom('viewer', imageId, '?format=cyclonedx&platform=linux/amd64');
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), /^application\/vnd\.cyclonedx\+json/);
    assert.equal(
      response.headers['content-disposition'],
      'attachment; filename="shop-web_1.0_linux-amd64.cdx.json"',
    );
    const bom = JSON.parse(response.body) as CycloneDxBom;
    assert.deepEqual(cycloneDxErrors(bom), []);
    assert.equal(bom.metadata.component.name, 'shop/web:1.0');
    const purls = await reportPurls(imageId, 'linux/amd64');
    assert.equal(purls.length, 4, purls.join(' '));
    assert.deepEqual(
      bom.components
        .filter((component) => component.type === 'library')
        .map((component) => component.purl)
        .sort(),
      purls,
    );
    assert.ok(bom.components.some((component) => component.type === 'operating-system'));
    // The scan found marked's advisories and the token; the SBOM is the inventory alone.
    const vulnerabilities = json(
      await api.call('viewer', {
        method: 'GET',
        url: `${base}/images/${imageId}/report/vulnerabilities?platform=linux/amd64`,
      }),
    )['platforms'] as { section: { findings: unknown[] } }[];
    assert.ok((vulnerabilities[0]?.section.findings.length ?? 0) > 0, 'marked 0.3.5 has advisories');
    assert.equal(bom.vulnerabilities, undefined);
    assertNoFindings(response);
  });

  test('SPDX: a valid SPDX 2.3 document of the same packages; the other platform has its own', async () => {
    const imageId = String(ids['shop/web:1.0']);
    const response = await sbom('viewer', imageId, '?format=spdx-json&platform=linux%2Famd64');
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), /^application\/spdx\+json/);
    assert.equal(
      response.headers['content-disposition'],
      'attachment; filename="shop-web_1.0_linux-amd64.spdx.json"',
    );
    const document = JSON.parse(response.body) as SpdxDocument;
    assert.deepEqual(spdxErrors(document), []);
    assert.equal(document.name, 'shop/web:1.0');
    const libraries = document.packages.filter((pkg) => pkg.primaryPackagePurpose === 'LIBRARY');
    assert.deepEqual(
      libraries.map((pkg) => pkg.externalRefs?.[0]?.referenceLocator).sort(),
      await reportPurls(imageId, 'linux/amd64'),
    );
    assertNoFindings(response);

    const arm = await sbom('viewer', imageId, '?format=spdx-json&platform=linux/arm64/v8');
    assert.equal(arm.statusCode, 200, arm.body);
    const armDocument = JSON.parse(arm.body) as SpdxDocument;
    assert.deepEqual(spdxErrors(armDocument), []);
    assert.deepEqual(
      armDocument.packages.filter((pkg) => pkg.primaryPackagePurpose === 'LIBRARY').map((pkg) => pkg.name),
      ['musl'],
    );
    assert.ok(armDocument.packages.some((pkg) => pkg.comment === 'platform linux/arm64/v8'));
  });

  test('a single-platform image needs no platform; its own platform’s name works too', async () => {
    const imageId = String(ids['shop/db:2.0']);
    const plain = await sbom('viewer', imageId, '?format=cyclonedx');
    assert.equal(plain.statusCode, 200, plain.body);
    const bom = JSON.parse(plain.body) as CycloneDxBom;
    assert.deepEqual(cycloneDxErrors(bom), []);
    assert.deepEqual(
      bom.components.filter((component) => component.type === 'library').map((component) => component.name),
      ['postgresql16'],
    );
    const named = await sbom('viewer', imageId, '?format=spdx-json&platform=linux/amd64');
    assert.equal(named.statusCode, 200, named.body);
    assert.deepEqual(spdxErrors(JSON.parse(named.body)), []);
  });

  test('a multi-platform image without a platform is refused with the platforms named', async () => {
    const imageId = String(ids['shop/web:1.0']);
    const response = await sbom('viewer', imageId, '?format=cyclonedx');
    assert.equal(response.statusCode, 400, response.body);
    const body = json(response);
    assert.equal(body['code'], 'invalid_request');
    assert.match(String(body['message']), /linux\/amd64, linux\/arm64\/v8/);
    assert.deepEqual((body['details'] as { platforms: string[] }).platforms, [
      'linux/amd64',
      'linux/arm64/v8',
    ]);
    const unknown = await sbom('viewer', imageId, '?format=cyclonedx&platform=linux/s390x');
    assert.equal(unknown.statusCode, 404, unknown.body);
    assert.equal((json(unknown)['details'] as { what: string }).what, 'platform');
    const badFormat = await sbom('viewer', imageId, '?format=sarif&platform=linux/amd64');
    assert.equal(badFormat.statusCode, 400, badFormat.body);
    const noFormat = await sbom('viewer', imageId, '?platform=linux/amd64');
    assert.equal(noFormat.statusCode, 400, noFormat.body);
  });

  test('an image never scanned answers conflict', async () => {
    const response = await sbom('viewer', String(ids['shop/new:1']), '?format=spdx-json');
    assert.equal(response.statusCode, 409, response.body);
    assert.equal(json(response)['code'], 'conflict');
    assert.match(String(json(response)['message']), /shop\/new:1 has no scan result yet/);
  });

  test('who may download: project members with images:get; others get 401, 403 or 404', async () => {
    const imageId = String(ids['shop/db:2.0']);
    for (const user of ['admin', 'operator', 'viewer', 'root'])
      assert.equal((await sbom(user, imageId, '?format=cyclonedx')).statusCode, 200, user);
    assert.equal((await sbom(undefined, imageId, '?format=cyclonedx')).statusCode, 401);
    const containers = await sbom('containers', imageId, '?format=cyclonedx');
    assert.equal(containers.statusCode, 403, containers.body);
    // Another project's member: project A is hidden, and A's image is unknown in the member's own project.
    const foreign = await sbom('outsider', imageId, '?format=cyclonedx');
    assert.equal(foreign.statusCode, 404, foreign.body);
    assert.equal((json(foreign)['details'] as { what: string }).what, 'project');
    const crossed = await sbom('outsider', imageId, '?format=cyclonedx', `/api/v1/projects/${api.projectB}`);
    assert.equal(crossed.statusCode, 404, crossed.body);
    assert.equal((json(crossed)['details'] as { what: string }).what, 'image');
  });
});
