import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Ecosystem } from '../../analyzer/fact.ts';
import { rpmAnalyzer } from '../../analyzer/rpm/analyzer.ts';
import type { DetectedOs } from '../../inventory/coalesce-os.ts';
import type { InventoryPackage } from '../../inventory/coalesce-packages.ts';
import { resolvePolicy } from './compliance-policy.ts';
import { endOfLifeFindings, osRelease } from './end-of-life.ts';
import { endOfLifeTable } from './end-of-life-table.ts';
import { runtimeReleaseOf } from './runtime-release.ts';
import { inventoryOf, testLayer, testVectors } from './real-inventory.ts';

function os(id: string, versionId: string | undefined, name = id): DetectedOs {
  return {
    family: 'unknown',
    id,
    name,
    versionId,
    versionCodename: undefined,
    prettyName: undefined,
    idLike: [],
    path: 'etc/os-release',
    layerIndex: 0,
  };
}

function pkg(
  ecosystem: Ecosystem,
  name: string,
  version: string,
  path = 'var/lib/dpkg/status',
): InventoryPackage {
  return {
    ecosystem,
    name,
    version,
    purl: `pkg:${ecosystem}/${name}@${version}`,
    licenses: [],
    path,
    origin: 'installed',
    layer: { ...testLayer, index: 1 },
  };
}

const defaults = resolvePolicy(undefined);

function rules(findings: ReturnType<typeof endOfLifeFindings>) {
  return findings.map((finding) => `${finding.rule} ${finding.severity}`);
}

describe('end of life: operating systems', () => {
  const buster = os('debian', '10.13', 'Debian GNU/Linux');

  it('turns at the end of the last supported day (Debian 10: LTS until 2024-06-30)', () => {
    assert.deepEqual(rules(endOfLifeFindings(buster, [], new Date('2024-06-30T23:59:59Z'), defaults)), [
      'eol-approaching:debian-10 low',
    ]);
    const past = endOfLifeFindings(buster, [], new Date('2024-07-01T00:00:00Z'), defaults);
    assert.deepEqual(past, [
      {
        type: 'end-of-life',
        severity: 'high',
        software: 'Debian 10',
        version: '10.13',
        path: 'etc/os-release',
        layerIndex: 0,
        reason: 'Debian 10 reached its end of life on 2024-06-30: it gets no more security fixes.',
        rule: 'eol:debian-10',
      },
    ]);
  });

  it("gives notice only within the policy's days", () => {
    assert.deepEqual(endOfLifeFindings(buster, [], new Date('2024-04-01T00:00:00Z'), defaults), []);
    assert.equal(endOfLifeFindings(buster, [], new Date('2024-04-02T00:00:00Z'), defaults).length, 1);
    const noNotice = resolvePolicy({ endOfLifeNoticeDays: 0 });
    assert.deepEqual(endOfLifeFindings(buster, [], new Date('2024-06-30T12:00:00Z'), noNotice), []);
  });

  it("maps each distribution's VERSION_ID to its release cycle", () => {
    assert.deepEqual(osRelease(os('ubuntu', '20.04')), { product: 'ubuntu', cycle: '20.04' });
    assert.deepEqual(osRelease(os('alpine', '3.18.4')), { product: 'alpine', cycle: '3.18' });
    assert.deepEqual(osRelease(os('rhel', '8.9')), { product: 'rhel', cycle: '8' });
    assert.deepEqual(osRelease(os('centos', '8', 'CentOS Stream')), { product: 'centos-stream', cycle: '8' });
    assert.deepEqual(osRelease(os('centos', '8', 'CentOS Linux')), { product: 'centos', cycle: '8' });
    assert.deepEqual(osRelease(os('amzn', '2')), { product: 'amazon-linux', cycle: '2' });
    assert.deepEqual(osRelease(os('sles', '15.4')), { product: 'sles', cycle: '15.4' });
    assert.deepEqual(osRelease(os('opensuse-leap', '15.5')), { product: 'opensuse-leap', cycle: '15.5' });
    // Debian testing and unstable have no VERSION_ID; other distributions are not judged.
    assert.equal(osRelease(os('debian', undefined)), undefined);
    assert.equal(osRelease(os('gentoo', '2.14')), undefined);
  });

  it('judges the release cycle, not the point release', () => {
    const now = new Date('2026-11-27T00:00:00Z');
    assert.deepEqual(rules(endOfLifeFindings(os('ubuntu', '20.04'), [], now, defaults)), [
      'eol:ubuntu-20.04 high',
    ]);
    assert.deepEqual(rules(endOfLifeFindings(os('alpine', '3.21.2'), [], now, defaults)), [
      'eol:alpine-3.21 high',
    ]);
    assert.deepEqual(rules(endOfLifeFindings(os('alpine', '3.22.1'), [], now, defaults)), []);
    assert.deepEqual(rules(endOfLifeFindings(os('centos', '7'), [], now, defaults)), ['eol:centos-7 high']);
    assert.deepEqual(rules(endOfLifeFindings(os('debian', '12.5'), [], now, defaults)), []);
    assert.deepEqual(rules(endOfLifeFindings(os('debian', '14'), [], now, defaults)), []);
  });

  it('has well-formed dates and no duplicate cycles', () => {
    for (const [product, { releases }] of Object.entries(endOfLifeTable)) {
      const cycles = releases.map((release) => release.cycle);
      assert.equal(new Set(cycles).size, cycles.length, product);
      for (const { eol } of releases)
        assert.equal(new Date(`${eol}T00:00:00Z`).toISOString().slice(0, 10), eol, product);
    }
  });
});

describe('end of life: runtimes', () => {
  it('recognises the runtime packages of each distribution and ecosystem', () => {
    const cases: readonly (readonly [Ecosystem, string, string, string | undefined])[] = [
      ['deb', 'python3.9', '3.9.2-1', 'python 3.9'],
      ['deb', 'python3.11-minimal', '3.11.2-6', 'python 3.11'],
      ['rpm', 'python39', '3.9.16-1.module+el8', 'python 3.9'],
      ['apk', 'python3', '3.11.6-r0', 'python 3.11'],
      ['deb', 'nodejs', '18.19.0+dfsg-6~deb12u2', 'nodejs 18'],
      ['rpm', 'nodejs', '1:16.20.2-3.module+el8', 'nodejs 16'],
      ['deb', 'ruby3.1', '3.1.2-7', 'ruby 3.1'],
      ['deb', 'golang-1.19-go', '1.19.8-2', 'go 1.19'],
      ['deb', 'golang-go', '2:1.19~1', 'go 1.19'],
      ['golang', 'stdlib', 'v1.21.5', 'go 1.21'],
      ['deb', 'openjdk-17-jre-headless', '17.0.9+9-1~deb12u1', 'java 17'],
      ['apk', 'openjdk8-jre', '8.392.08-r0', 'java 8'],
      ['rpm', 'java-1.8.0-openjdk-headless', '1:1.8.0.392.b08-4.el8', 'java 8'],
      ['deb', 'php8.2-cli', '8.2.7-1~deb12u1', 'php 8.2'],
      ['apk', 'php81-common', '8.1.27-r0', 'php 8.1'],
      ['rpm', 'php-cli', '8.0.30-1.el9', 'php 8.0'],
      ['deb', 'dotnet-runtime-6.0', '6.0.25-1', 'dotnet 6.0'],
      ['apk', 'dotnet8-runtime', '8.0.0-r0', 'dotnet 8.0'],
      ['nuget', 'Microsoft.NETCore.App.Runtime.linux-x64', '7.0.14', 'dotnet 7.0'],
      // Libraries for a runtime, and ecosystem packages that share a runtime's name, are not runtimes.
      ['deb', 'python3-yaml', '6.0-3', undefined],
      ['deb', 'libnode108', '18.19.0', undefined],
      ['npm', 'node', '18.0.0', undefined],
      ['pypi', 'python', '3.9', undefined],
      ['golang', 'golang.org/x/net', 'v0.17.0', undefined],
    ];
    for (const [ecosystem, name, version, expected] of cases) {
      const release = runtimeReleaseOf(pkg(ecosystem, name, version));
      assert.equal(
        release ? `${release.product} ${release.cycle}` : undefined,
        expected,
        `${ecosystem} ${name}`,
      );
    }
  });

  it('reports each runtime release once, medium from the OS and high when built into an application', () => {
    const packages = [
      pkg('deb', 'python3.9', '3.9.2-1'),
      pkg('deb', 'python3.9-minimal', '3.9.2-1'),
      pkg('deb', 'nodejs', '20.11.0-1nodesource1'),
      pkg('golang', 'stdlib', 'v1.21.5', 'usr/local/bin/app'),
      pkg('nuget', 'Microsoft.NETCore.App.Runtime.linux-x64', '6.0.25', 'app/app.deps.json'),
    ];
    const findings = endOfLifeFindings(undefined, packages, new Date('2026-03-01T00:00:00Z'), defaults);
    assert.deepEqual(
      findings.map((finding) => [
        finding.rule,
        finding.severity,
        finding.software,
        finding.path,
        finding.layerIndex,
      ]),
      [
        ['eol:python-3.9', 'medium', 'python3.9', 'var/lib/dpkg/status', 1],
        ['eol-approaching:nodejs-20', 'low', 'nodejs', 'var/lib/dpkg/status', 1],
        ['eol:go-1.21', 'high', 'stdlib', 'usr/local/bin/app', 1],
        ['eol:dotnet-6.0', 'high', 'Microsoft.NETCore.App.Runtime.linux-x64', 'app/app.deps.json', 1],
      ],
    );
    assert.match(
      findings[2]?.reason ?? '',
      /^Go 1\.21 reached its end of life on 2024-08-13: .* only a rebuild/,
    );
  });

  it('finds Python 3.9 past its end of life in the real CBL-Mariner 2.0 rpm database', async () => {
    const { packages } = await inventoryOf(rpmAnalyzer, [
      {
        imagePath: 'var/lib/rpm/rpmdb.sqlite',
        source: join(testVectors, 'rpmdb/db/cbl-mariner-2.0/rpmdb.sqlite'),
      },
    ]);
    const before = endOfLifeFindings(undefined, packages, new Date('2025-06-01T00:00:00Z'), defaults);
    assert.deepEqual(rules(before), []);
    const after = endOfLifeFindings(undefined, packages, new Date('2025-11-01T00:00:00Z'), defaults);
    assert.deepEqual(
      after.map((finding) => [finding.rule, finding.severity, finding.software, finding.version]),
      [['eol:python-3.9', 'medium', 'python3', after[0]?.version]],
    );
    assert.match(after[0]?.version ?? '', /^3\.9\./);
  });
});
