/**
 * Synthetic findings and reports for the tests of suppressions, filters and report formats
 * (not imported by production code).
 */
import type { LayerRef } from '../analyzer/layer-ref.ts';
import type { InventoryPackage } from '../inventory/coalesce-packages.ts';
import type { VulnerabilityFinding } from '../match/finding.ts';
import type { ImageReport, ScanReport } from '../scan/result.ts';

export const baseLayer: LayerRef = {
  index: 0,
  digest: `sha256:${'a'.repeat(64)}`,
  diffId: `sha256:${'b'.repeat(64)}`,
  createdBy: '/bin/sh -c #(nop) ADD file:1234 in / ',
};

export const appLayer: LayerRef = {
  index: 1,
  digest: `sha256:${'c'.repeat(64)}`,
  diffId: `sha256:${'d'.repeat(64)}`,
  createdBy: 'RUN /bin/sh -c npm ci --omit=dev # buildkit',
};

export type FindingOverrides = Partial<Omit<VulnerabilityFinding, 'package'>> & {
  readonly package?: Partial<VulnerabilityFinding['package']>;
};

/** An affected finding of openssl 3.1.4-r0 on Alpine, with a CVSS 3.1 score; override any part. */
export function finding(overrides: FindingOverrides = {}): VulnerabilityFinding {
  const { package: pkg, ...rest } = overrides;
  return {
    id: 'ALPINE-CVE-2024-0727',
    aliases: ['CVE-2024-0727'],
    status: 'affected',
    package: {
      ecosystem: 'apk',
      name: 'libcrypto3',
      version: '3.1.4-r0',
      purl: 'pkg:apk/alpine/libcrypto3@3.1.4-r0?arch=x86_64&distro=alpine-3.19.0',
      path: 'lib/apk/db/installed',
      layer: baseLayer,
      source: { name: 'openssl', version: '3.1.4-r0' },
      ...pkg,
    },
    installedVersion: pkg?.version ?? '3.1.4-r0',
    fixedVersions: ['3.1.4-r5'],
    severity: 'medium',
    cvss: { version: '3.1', score: 5.5, vector: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H' },
    severitySource: 'cvss_v3',
    summary: 'PKCS12 Decoding crashes',
    description: 'Processing a maliciously formatted PKCS12 file may lead OpenSSL to crash.',
    references: ['https://www.openssl.org/news/secadv/20240125.txt'],
    published: '2024-01-26T09:15:00Z',
    modified: '2024-06-10T17:16:00Z',
    evidence: {
      osvEcosystem: 'Alpine:v3.19',
      osvPackage: 'openssl',
      matchedBy: 'source',
      scheme: 'apk',
      range: { kind: 'range', type: 'ECOSYSTEM', introduced: '0', fixed: '3.1.4-r5' },
    },
    ...rest,
  };
}

/** An npm finding: a GHSA advisory of lodash in the application layer. */
export function npmFinding(overrides: FindingOverrides = {}): VulnerabilityFinding {
  return finding({
    id: 'GHSA-35jh-r3h4-6jhm',
    aliases: ['CVE-2021-23337'],
    severity: 'high',
    cvss: { version: '3.1', score: 7.2, vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' },
    fixedVersions: ['4.17.21'],
    summary: 'Command Injection in lodash',
    description:
      'lodash versions prior to 4.17.21 are vulnerable to Command Injection via the template function.',
    references: [
      'https://nvd.nist.gov/vuln/detail/CVE-2021-23337',
      'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
    ],
    evidence: {
      osvEcosystem: 'npm',
      osvPackage: 'lodash',
      matchedBy: 'name',
      scheme: 'semver',
      range: { kind: 'range', type: 'SEMVER', introduced: '0', fixed: '4.17.21' },
    },
    ...overrides,
    package: {
      ecosystem: 'npm',
      name: 'lodash',
      version: '4.17.20',
      purl: 'pkg:npm/lodash@4.17.20',
      path: 'app/node_modules/lodash/package.json',
      layer: appLayer,
      source: undefined,
      ...overrides.package,
    },
  });
}

export function inventoryPackageOf(found: VulnerabilityFinding): InventoryPackage {
  return {
    ecosystem: found.package.ecosystem,
    name: found.package.name,
    version: found.package.version,
    purl: found.package.purl,
    licenses: [],
    source: found.package.source,
    arch: undefined,
    path: found.package.path,
    origin: 'installed',
    layer: found.package.layer,
  };
}

/** An image report holding these findings (and their packages). */
export function imageWith(
  findings: readonly VulnerabilityFinding[] | undefined,
  overrides: Partial<ImageReport> = {},
): ImageReport {
  const packages = new Map<string, InventoryPackage>();
  for (const found of findings ?? [])
    packages.set(`${found.package.purl}#${found.package.path}`, inventoryPackageOf(found));
  return {
    platform: { os: 'linux', architecture: 'amd64' },
    manifestDigest: `sha256:${'1'.repeat(64)}`,
    configDigest: `sha256:${'2'.repeat(64)}`,
    repoTags: [],
    created: '2024-05-01T00:00:00Z',
    config: {
      user: undefined,
      env: [],
      entrypoint: [],
      cmd: ['/bin/sh'],
      workingDir: undefined,
      exposedPorts: [],
      labels: {},
      healthcheck: undefined,
    },
    os: undefined,
    layers: [],
    packages: [...packages.values()],
    vulnerabilities: findings,
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
    ...overrides,
  };
}

/** A report of one registry image (`registry.example:5000/team/app:1.0`) with these images. */
export function reportWith(images: readonly ImageReport[], overrides: Partial<ScanReport> = {}): ScanReport {
  return {
    schemaVersion: 1,
    tool: { name: 'drydock', version: '0.1.0' },
    createdAt: '2024-06-01T12:00:00.000Z',
    artifact: {
      name: 'registry.example:5000/team/app:1.0',
      kind: 'registry',
      digest: images.length > 1 ? `sha256:${'9'.repeat(64)}` : images[0]?.manifestDigest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      platforms: [],
    },
    images,
    vulnerabilityDatabase: { builtAt: '2024-06-01T00:00:00.000Z', records: 3, feeds: ['Alpine', 'npm'] },
    ...overrides,
  };
}
