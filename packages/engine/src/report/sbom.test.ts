import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cycloneDxErrors, spdxErrors } from '../../../../test/harness/schemas.ts';
import type { InventoryPackage } from '../inventory/coalesce-packages.ts';
import type { ImageReport, ScanReport } from '../scan/result.ts';
import { formatCycloneDx } from './cyclonedx.ts';
import { formatSpdx } from './spdx.ts';

const layer = {
  index: 0,
  digest: `sha256:${'a'.repeat(64)}`,
  diffId: `sha256:${'b'.repeat(64)}`,
  createdBy: 'ADD rootfs /',
};

function pkg(overrides: Partial<InventoryPackage>): InventoryPackage {
  return {
    ecosystem: 'deb',
    name: 'libc6',
    version: '2.36-9+deb12u4',
    purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12.5',
    licenses: ['LGPL-2.1+', 'GPL-2+'],
    source: { name: 'glibc', version: '2.36-9+deb12u4' },
    arch: 'amd64',
    path: 'var/lib/dpkg/status',
    origin: 'installed',
    layer,
    ...overrides,
  };
}

const packages: InventoryPackage[] = [
  pkg({}),
  pkg({
    ecosystem: 'npm',
    name: '@babel/core',
    version: '7.24.0',
    purl: 'pkg:npm/%40babel/core@7.24.0',
    licenses: ['MIT'],
    path: 'app/node_modules/@babel/core/package.json',
    source: undefined,
    arch: undefined,
  }),
  pkg({
    ecosystem: 'pypi',
    name: 'weird',
    version: '1.0',
    purl: 'pkg:pypi/weird@1.0',
    licenses: ['Some custom licence, see file', 'MIT'],
    path: 'usr/lib/python3/dist-packages/weird-1.0.dist-info/METADATA',
    source: undefined,
  }),
  pkg({
    ecosystem: 'golang',
    name: 'stdlib',
    version: 'v1.21.5',
    purl: 'pkg:golang/stdlib@v1.21.5',
    licenses: [],
    path: 'usr/bin/tool',
    origin: 'binary',
    source: undefined,
  }),
  // The same package found twice in one file must still get distinct references.
  pkg({
    ecosystem: 'npm',
    name: 'dup',
    version: '1.0.0',
    purl: 'pkg:npm/dup@1.0.0',
    licenses: ['ISC'],
    path: 'app/package-lock.json',
    origin: 'lockfile',
    source: undefined,
  }),
  pkg({
    ecosystem: 'npm',
    name: 'dup',
    version: '1.0.0',
    purl: 'pkg:npm/dup@1.0.0',
    licenses: ['ISC'],
    path: 'app/package-lock.json',
    origin: 'lockfile',
    source: undefined,
  }),
];

function image(architecture: string): ImageReport {
  return {
    platform: { os: 'linux', architecture },
    manifestDigest: `sha256:${'c'.repeat(64)}`,
    configDigest: `sha256:${'d'.repeat(64)}`,
    repoTags: ['team/app:v1'],
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
    os: {
      family: 'debian',
      id: 'debian',
      name: 'Debian GNU/Linux',
      version: '12.5',
      codename: 'bookworm',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
      path: 'etc/os-release',
      layerIndex: 0,
    },
    layers: [],
    packages,
    vulnerabilities: undefined,
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
    durationMs: 1,
  };
}

function report(images: ImageReport[]): ScanReport {
  return {
    schemaVersion: 1,
    tool: { name: 'drydock', version: '0.1.0' },
    createdAt: '2026-11-26T12:00:00.123Z',
    artifact: {
      name: 'registry.example/team/app:v1',
      kind: 'registry',
      digest: `sha256:${'e'.repeat(64)}`,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platforms: [],
    },
    images,
  };
}

describe('SBOM formats', () => {
  for (const [name, images] of [
    ['one platform', [image('amd64')]],
    ['two platforms', [image('amd64'), image('arm64')]],
  ] as const) {
    it(`CycloneDX 1.6 is valid against the published schema (${name})`, () => {
      const bom = JSON.parse(formatCycloneDx(report([...images]))) as {
        specVersion: string;
        components: { purl?: string; components?: unknown[] }[];
      };
      assert.deepEqual(cycloneDxErrors(bom), []);
      assert.equal(bom.specVersion, '1.6');
      const text = JSON.stringify(bom);
      assert.ok(text.includes('pkg:npm/%40babel/core@7.24.0'));
      assert.ok(text.includes('"drydock:layer:diffId"'));
      assert.ok(text.includes('GPL-2.0-or-later'), 'Debian short names become SPDX ids');
    });

    it(`SPDX 2.3 is valid against the published schema (${name})`, () => {
      const document = JSON.parse(formatSpdx(report([...images]))) as {
        packages: { name: string; licenseDeclared: string; externalRefs?: { referenceLocator: string }[] }[];
        relationships: unknown[];
        hasExtractedLicensingInfos?: { licenseId: string }[];
      };
      assert.deepEqual(spdxErrors(document), []);
      const libc = document.packages.find((entry) => entry.name === 'libc6');
      assert.equal(libc?.licenseDeclared, 'LGPL-2.1-or-later AND GPL-2.0-or-later');
      const weird = document.packages.find((entry) => entry.name === 'weird');
      assert.match(weird?.licenseDeclared ?? '', /^MIT AND LicenseRef-/);
      assert.ok(
        document.hasExtractedLicensingInfos?.some((info) => weird?.licenseDeclared.includes(info.licenseId)),
      );
      assert.equal(
        document.packages.filter((entry) => entry.externalRefs).length,
        packages.length * images.length,
      );
    });
  }
});
