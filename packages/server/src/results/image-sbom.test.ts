import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InventoryPackage } from '@drydock/engine';
import { cycloneDxErrors, spdxErrors } from '../../../../test/harness/schemas.ts';
import { isServiceError, type ServiceErrorCode } from '../service-error.ts';
import type { HandledReport, ImageResults, ImageSummary, PlatformResult } from './current-results.ts';
import { imageSbom } from './image-sbom.ts';
import { debVulnerability, imageReport, secretFinding } from './test-fixtures.ts';

const layer = {
  index: 0,
  digest: `sha256:${'1'.repeat(64)}`,
  diffId: `sha256:${'2'.repeat(64)}`,
  createdBy: 'COPY . /srv/app',
};

function npmPackage(name: string, version: string, license: string): InventoryPackage {
  return {
    ecosystem: 'npm',
    name,
    version,
    purl: `pkg:npm/${name}@${version}`,
    licenses: [license],
    source: undefined,
    arch: undefined,
    path: `srv/app/node_modules/${name}/package.json`,
    origin: 'installed',
    layer,
  };
}

const image: ImageSummary = {
  id: 'image-1',
  projectId: 'project-1',
  connectionId: 'connection-1',
  connectionName: 'local',
  registryType: 'registry',
  namespace: '',
  repository: 'shop/web',
  tag: '1.0',
  digest: `sha256:${'9'.repeat(64)}`,
};

const scannedAt = new Date('2025-03-04T05:06:07.000Z');
const envSecret = 'DATABASE_PASSWORD=hunter2-in-the-config';

/** A result whose report holds findings of every kind besides its packages. */
function platformResult(platform: string, report: HandledReport): PlatformResult {
  return {
    result: {
      id: `result-${platform || 'single'}`,
      projectId: image.projectId,
      imageId: image.id,
      taskId: null,
      digest: report.manifestDigest ?? '',
      platform,
      riskTypes: ['vulnerability', 'secret'],
      riskCounts: {
        vulnerability: { critical: 1, high: 0, medium: 0, low: 0, unknown: 0 },
        secret: 1,
        malware: 0,
        baseline: 0,
        compliance: 0,
      },
      riskLevel: 'critical',
      matchedAt: scannedAt,
      databaseBuiltAt: null,
      createdAt: scannedAt,
    },
    report,
  };
}

function handled(
  packages: readonly InventoryPackage[],
  architecture: string,
  variant?: string,
): HandledReport {
  const base = imageReport({
    platform: variant ? { os: 'linux', architecture, variant } : { os: 'linux', architecture },
    manifestDigest: `sha256:${(architecture === 'amd64' ? 'a' : 'b').repeat(64)}`,
    packages,
    config: { ...imageReport().config, env: [envSecret] },
    secrets: [secretFinding('aws-access-key', 'srv/app/.aws')],
  });
  return {
    ...base,
    vulnerabilities: [
      { ...debVulnerability('CVE-2099-0001', 'marked', 'critical'), handling: 'ignored' as const },
    ],
    secrets: [{ ...secretFinding('aws-access-key', 'srv/app/.aws'), ignoredBy: null }],
  };
}

const amdPackages = [
  npmPackage('marked', '0.3.5', 'MIT'),
  npmPackage('ghostwriter', '1.2.0', 'AGPL-3.0-only'),
];
const armPackages = [npmPackage('left-pad', '1.3.0', 'WTFPL')];

const single: ImageResults = { image, platforms: [platformResult('', handled(amdPackages, 'amd64'))] };
const multi: ImageResults = {
  image,
  platforms: [
    platformResult('linux/amd64', handled(amdPackages, 'amd64')),
    platformResult('linux/arm64/v8', handled(armPackages, 'arm64', 'v8')),
  ],
};

function failure(code: ServiceErrorCode, run: () => unknown): Readonly<Record<string, unknown>> {
  try {
    run();
  } catch (error) {
    assert.ok(isServiceError(error), String(error));
    assert.equal(error.code, code, error.message);
    return error.details;
  }
  assert.fail(`expected ${code}`);
}

describe('imageSbom', () => {
  it('writes a valid CycloneDX document of the packages, dated by the scan, without findings', () => {
    const sbom = imageSbom(single, { format: 'cyclonedx' });
    assert.equal(sbom.contentType, 'application/vnd.cyclonedx+json');
    assert.equal(sbom.fileName, 'shop-web_1.0_linux-amd64.cdx.json');
    assert.equal(sbom.platform, 'linux/amd64');
    const bom = JSON.parse(sbom.content) as {
      metadata: { timestamp: string; component: { name: string } };
      components: { purl?: string }[];
      vulnerabilities?: unknown;
    };
    assert.deepEqual(cycloneDxErrors(bom), []);
    assert.equal(bom.metadata.timestamp, scannedAt.toISOString());
    assert.equal(bom.metadata.component.name, 'shop/web:1.0');
    assert.deepEqual(
      bom.components.map((component) => component.purl).sort(),
      amdPackages.map((pkg) => pkg.purl).sort(),
    );
    // The engine would list the report's vulnerabilities; the SBOM is the inventory alone.
    assert.equal(bom.vulnerabilities, undefined);
    for (const text of ['CVE-2099-0001', 'aws-access-key', 'AKIA', 'hunter2', 'srv/app/.aws'])
      assert.equal(sbom.content.includes(text), false, text);
  });

  it('writes a valid SPDX 2.3 document of the same packages', () => {
    const sbom = imageSbom(single, { format: 'spdx-json', platform: 'linux/amd64' });
    assert.equal(sbom.contentType, 'application/spdx+json');
    assert.equal(sbom.fileName, 'shop-web_1.0_linux-amd64.spdx.json');
    const document = JSON.parse(sbom.content) as {
      name: string;
      creationInfo: { created: string };
      packages: { name: string; primaryPackagePurpose: string }[];
    };
    assert.deepEqual(spdxErrors(document), []);
    assert.equal(document.name, 'shop/web:1.0');
    assert.equal(document.creationInfo.created, '2025-03-04T05:06:07Z');
    assert.deepEqual(
      document.packages
        .filter((pkg) => pkg.primaryPackagePurpose === 'LIBRARY')
        .map((pkg) => pkg.name)
        .sort(),
      ['ghostwriter', 'marked'],
    );
    for (const text of ['CVE-2099-0001', 'AKIA', 'hunter2']) assert.equal(sbom.content.includes(text), false);
  });

  it('describes the platform asked for, and needs one when several were scanned', () => {
    const arm = imageSbom(multi, { format: 'cyclonedx', platform: 'linux/arm64/v8' });
    assert.equal(arm.fileName, 'shop-web_1.0_linux-arm64-v8.cdx.json');
    const bom = JSON.parse(arm.content) as { components: { name: string }[] };
    assert.deepEqual(
      bom.components.map((component) => component.name),
      ['left-pad'],
    );
    const missing = failure('invalid_request', () => imageSbom(multi, { format: 'spdx-json' }));
    assert.deepEqual(missing['platforms'], ['linux/amd64', 'linux/arm64/v8']);
    const unknown = failure('not_found', () =>
      imageSbom(multi, { format: 'spdx-json', platform: 'linux/s390x' }),
    );
    assert.equal(unknown['what'], 'platform');
    failure('not_found', () => imageSbom(single, { format: 'cyclonedx', platform: 'linux/arm64' }));
  });

  it('answers conflict for an image without a result', () => {
    const details = failure('conflict', () => imageSbom({ image, platforms: [] }, { format: 'cyclonedx' }));
    assert.equal(details['imageId'], image.id);
  });
});
