import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dpkgAnalyzer } from '../../analyzer/dpkg/analyzer.ts';
import type { DetectedOs } from '../../inventory/coalesce-os.ts';
import type { InventoryPackage } from '../../inventory/coalesce-packages.ts';
import { complianceChecks } from './compliance-checks.ts';
import { inventoryOf, testLayer } from './real-inventory.ts';

const buster: DetectedOs = {
  family: 'debian',
  id: 'debian',
  name: 'Debian GNU/Linux',
  versionId: '10.13',
  versionCodename: 'buster',
  prettyName: 'Debian GNU/Linux 10 (buster)',
  idLike: [],
  path: 'etc/os-release',
  layerIndex: 0,
};

function npm(name: string, licenses: readonly string[]): InventoryPackage {
  return {
    ecosystem: 'npm',
    name,
    version: '1.0.0',
    purl: `pkg:npm/${name}@1.0.0`,
    licenses,
    path: 'app/package-lock.json',
    origin: 'lockfile',
    layer: { ...testLayer, index: 2 },
  };
}

async function image() {
  const { packages } = await inventoryOf(
    dpkgAnalyzer,
    [
      { imagePath: 'var/lib/dpkg/status', source: join(import.meta.dirname, 'fixtures', 'nmap-dpkg-status') },
      {
        imagePath: 'var/lib/dpkg/info/nmap.list',
        source: join(import.meta.dirname, 'fixtures', 'nmap.list'),
      },
    ],
    buster,
  );
  return [
    ...packages,
    npm('copyleft-lib', ['GPL-3.0-only']),
    npm('network-copyleft', ['AGPL-3.0-or-later']),
    npm('dual', ['MIT OR GPL-3.0-only']),
    npm('odd', ['Our own terms']),
  ];
}

describe('complianceChecks', () => {
  it('gives licence, prohibited-software and end-of-life findings of one image, with the default policy', async () => {
    const result = complianceChecks({
      packages: await image(),
      os: buster,
      executables: [{ path: 'usr/local/bin/xmrig', layerIndex: 3 }],
      now: new Date('2026-11-27T00:00:00Z'),
    });
    assert.deepEqual(
      result.findings.map((finding) => [
        finding.type,
        finding.severity,
        finding.software,
        finding.rule,
        finding.layerIndex,
      ]),
      [
        ['license', 'medium', 'copyleft-lib', 'license-restricted:GPL-3.0-only', 2],
        ['license', 'high', 'network-copyleft', 'license-forbidden:AGPL-3.0-or-later', 2],
        ['license', 'low', 'odd', 'license-unknown', 2],
        ['prohibited', 'high', 'nmap', 'prohibited:nmap', 0],
        ['prohibited', 'critical', 'xmrig', 'prohibited:xmrig', 3],
        ['end-of-life', 'high', 'Debian 10', 'eol:debian-10', 0],
      ],
    );
    // The Debian packages' licences come from copyright files, which this database has none of.
    assert.deepEqual(result.licenses, {
      packages: 6,
      byCategory: {
        forbidden: 1,
        restricted: 1,
        reciprocal: 0,
        notice: 1,
        permissive: 0,
        unencumbered: 0,
        unknown: 3,
      },
      undeclared: 2,
      violations: 3,
    });
  });

  it('follows a stricter project policy', async () => {
    const result = complianceChecks({
      packages: await image(),
      policy: {
        forbiddenCategories: ['forbidden', 'restricted'],
        reportUnknown: false,
        reportUndeclared: true,
        allowSoftware: ['nmap'],
        endOfLifeNoticeDays: 0,
      },
      now: new Date('2020-01-01T00:00:00Z'),
    });
    assert.deepEqual(
      result.findings.map((finding) => [finding.software, finding.severity, finding.rule]),
      [
        ['base-files', 'low', 'license-undeclared'],
        ['nmap', 'low', 'license-undeclared'],
        ['copyleft-lib', 'high', 'license-forbidden:GPL-3.0-only'],
        ['network-copyleft', 'high', 'license-forbidden:AGPL-3.0-or-later'],
      ],
    );
  });
});
