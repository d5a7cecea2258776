/**
 * Licence classification of real inventories: the rpm, apk and lock-file test vectors in
 * ../shared/testvectors (READMEs there name their sources), read by the project's analyzers. The
 * counts were reviewed package by package; the comments say which packages make them.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Analyzer } from '../../analyzer/contract.ts';
import { apkAnalyzer } from '../../analyzer/apk/analyzer.ts';
import { npmLockAnalyzer } from '../../analyzer/npm/package-lock-analyzer.ts';
import { composerLockAnalyzer } from '../../analyzer/php/analyzers.ts';
import { rpmAnalyzer } from '../../analyzer/rpm/analyzer.ts';
import type { InventoryPackage } from '../../inventory/coalesce-packages.ts';
import { resolvePolicy } from './compliance-policy.ts';
import { evaluateLicenses } from './evaluate-license.ts';
import { licenseCompliance } from './license-findings.ts';
import { inventoryOf, testVectors } from './real-inventory.ts';

async function inventory(analyzer: Analyzer, vector: string, imagePath: string, diagnostics = 0) {
  const result = await inventoryOf(analyzer, [{ imagePath, source: join(testVectors, vector) }]);
  assert.equal(result.diagnostics.length, diagnostics, result.diagnostics.join('\n'));
  return result.packages;
}

function evaluationOf(packages: readonly InventoryPackage[], name: string) {
  const pkg = packages.find((candidate) => candidate.name === name);
  assert.ok(pkg, name);
  const { expression, category, verdict } = evaluateLicenses(pkg.licenses, resolvePolicy(undefined));
  return { expression, category, verdict };
}

describe('licence compliance of real inventories', () => {
  it('SUSE SLE 15 BCI (rpm, NDB): 35 packages', async () => {
    const packages = await inventory(
      rpmAnalyzer,
      'rpmdb/db/sle15-bci/Packages.db',
      'var/lib/rpm/Packages.db',
    );
    const { findings, summary } = licenseCompliance(packages, resolvePolicy(undefined));
    assert.deepEqual(summary, {
      packages: 35,
      byCategory: {
        forbidden: 0,
        restricted: 16,
        // ca-certificates-mozilla-prebuilt (MPL-2.0); libgcc_s1 and libstdc++6 (GPL with the GCC exception).
        reciprocal: 3,
        // MIT, BSD, and two choices with a permissive side: libcap2, perl-base.
        notice: 13,
        permissive: 1,
        // SUSE-Public-Domain: libselinux1, liblzma5.
        unencumbered: 2,
        unknown: 0,
      },
      undeclared: 0,
      violations: 0,
    });
    // OS packages' copyleft is not reported by default (an aggregate, not a derived work).
    assert.deepEqual(findings, []);
    assert.deepEqual(evaluationOf(packages, 'libcap2'), {
      expression: 'BSD-3-Clause OR GPL-2.0-only',
      category: 'notice',
      verdict: 'allowed',
    });
    assert.deepEqual(evaluationOf(packages, 'libgmp10'), {
      expression: 'LGPL-3.0-or-later OR GPL-2.0-or-later',
      category: 'restricted',
      verdict: 'restricted',
    });
    assert.deepEqual(evaluationOf(packages, 'libdw1'), {
      expression: 'GPL-2.0-only',
      category: 'restricted',
      verdict: 'restricted',
    });
  });

  it('reports every restricted OS package when the policy covers all packages', async () => {
    const packages = await inventory(
      rpmAnalyzer,
      'rpmdb/db/sle15-bci/Packages.db',
      'var/lib/rpm/Packages.db',
    );
    const { findings } = licenseCompliance(packages, resolvePolicy({ restrictedScope: 'all' }));
    assert.equal(findings.length, 16);
    const bash = findings.find((finding) => finding.software === 'bash');
    assert.deepEqual(bash, {
      type: 'license',
      severity: 'medium',
      software: 'bash',
      version: '4.4-19.6.1',
      ecosystem: 'rpm',
      purl: bash?.purl,
      path: 'var/lib/rpm/Packages.db',
      layerIndex: 0,
      reason:
        'Licence GPL-3.0-or-later: GPL-3.0-or-later (restricted) falls in a category the policy restricts; review its obligations.',
      rule: 'license-restricted:GPL-3.0-or-later',
    });
  });

  it('CBL-Mariner 2.0 (rpm, SQLite): 129 packages with Fedora-style licence names', async () => {
    const packages = await inventory(
      rpmAnalyzer,
      'rpmdb/db/cbl-mariner-2.0/rpmdb.sqlite',
      'var/lib/rpm/rpmdb.sqlite',
    );
    const { summary } = licenseCompliance(packages, resolvePolicy(undefined));
    assert.deepEqual(summary.byCategory, {
      forbidden: 0,
      restricted: 72,
      // MPL-2.0: nspr, nss-libs and three ca-certificates packages; vim.
      reciprocal: 6,
      notice: 45,
      // zlib, zlib-devel.
      permissive: 2,
      // "Public Domain": sqlite, sqlite-libs, libselinux, libselinux-devel.
      unencumbered: 4,
      unknown: 0,
    });
    assert.deepEqual(evaluationOf(packages, 'libarchive'), {
      expression: 'BSD-2-Clause AND LicenseRef-public-domain AND (Apache-2.0 OR CC0-1.0 OR OpenSSL)',
      category: 'notice',
      verdict: 'allowed',
    });
    assert.deepEqual(evaluationOf(packages, 'glibc'), {
      expression: 'BSD-2-Clause AND GPL-2.0-or-later AND Inner-Net-2.0 AND ISC AND LGPL-2.0-or-later AND MIT',
      category: 'restricted',
      verdict: 'restricted',
    });
    assert.deepEqual(evaluationOf(packages, 'core-packages-container'), {
      expression: 'Apache-2.0',
      category: 'notice',
      verdict: 'allowed',
    });
  });

  it('Alpine (apk, trivy vector): 15 packages, Alpine-style names', async () => {
    // The vector's entry without a version is reported by the analyzer and left out.
    const packages = await inventory(apkAnalyzer, 'apk-installed/trivy/input/apk', 'lib/apk/db/installed', 1);
    const { summary } = licenseCompliance(packages, resolvePolicy(undefined));
    assert.deepEqual(summary.byCategory, {
      forbidden: 0,
      // busybox, alpine-baselayout, alpine-keys, apk-tools, scanelf, musl-utils, libc-utils.
      restricted: 7,
      // ada-libs: (Apache-2.0 OR MIT) AND MPL-2.0.
      reciprocal: 1,
      // musl, libcrypto1.0, libssl1.0, pkgconf.
      notice: 4,
      permissive: 1,
      // sqlite-libs and test: Public-Domain.
      unencumbered: 2,
      unknown: 0,
    });
    assert.deepEqual(evaluationOf(packages, 'musl-utils'), {
      expression: 'MIT AND BSD-2-Clause AND GPL-2.0-or-later',
      category: 'restricted',
      verdict: 'restricted',
    });
    assert.deepEqual(evaluationOf(packages, 'alpine-keys'), {
      expression: 'GPL-1.0-or-later',
      category: 'restricted',
      verdict: 'restricted',
    });
  });

  it('Alpine (apk, osv-scalibr vector): 15 packages with SPDX licences', async () => {
    const packages = await inventory(
      apkAnalyzer,
      'apk-installed/osv-scalibr/input/installed',
      'lib/apk/db/installed',
    );
    const { summary } = licenseCompliance(packages, resolvePolicy(undefined));
    assert.deepEqual(summary.byCategory, {
      forbidden: 0,
      restricted: 8,
      reciprocal: 1,
      notice: 5,
      permissive: 1,
      unencumbered: 0,
      unknown: 0,
    });
    assert.deepEqual(evaluationOf(packages, 'ca-certificates-bundle'), {
      expression: 'MPL-2.0 AND MIT',
      category: 'reciprocal',
      verdict: 'allowed',
    });
  });

  it('npm lock file with legacy licence fields, and one that declares none', async () => {
    const legacy = await inventory(
      npmLockAnalyzer,
      'lockfiles/trivy/nodejs/npm/input/package-lock_v3_with_legacy_licenses.json',
      'app/package-lock.json',
    );
    assert.deepEqual(evaluationOf(legacy, 'pause-stream'), {
      expression: 'MIT AND Apache-2.0',
      category: 'notice',
      verdict: 'allowed',
    });
    assert.deepEqual(evaluationOf(legacy, 'tv4'), {
      expression: 'LicenseRef-public-domain AND MIT',
      category: 'notice',
      verdict: 'allowed',
    });

    const bare = await inventory(
      npmLockAnalyzer,
      'lockfiles/trivy/nodejs/npm/input/package-lock_v2.json',
      'app/package-lock.json',
    );
    const quiet = licenseCompliance(bare, resolvePolicy(undefined));
    assert.deepEqual(
      {
        undeclared: quiet.summary.undeclared,
        unknown: quiet.summary.byCategory.unknown,
        findings: quiet.findings.length,
      },
      { undeclared: 31, unknown: 31, findings: 0 },
    );
    const reported = licenseCompliance(bare, resolvePolicy({ reportUndeclared: true }));
    assert.equal(reported.findings.length, 31);
    assert.ok(
      reported.findings.every(
        (finding) => finding.rule === 'license-undeclared' && finding.severity === 'low',
      ),
    );
  });

  it('composer.lock: notice licences only; a denied id is a violation', async () => {
    const packages = await inventory(
      composerLockAnalyzer,
      'lockfiles/trivy/php/composer/input/composer_happy.lock',
      'app/composer.lock',
    );
    assert.equal(licenseCompliance(packages, resolvePolicy(undefined)).summary.byCategory.notice, 10);
    const { findings } = licenseCompliance(packages, resolvePolicy({ denyIds: ['BSD-2-Clause'] }));
    // pear/pear_exception is BSD-2-Clause only; symfony/polyfill-php72 may choose MIT instead.
    assert.deepEqual(
      findings.map((finding) => [finding.software, finding.severity, finding.rule]),
      [['pear/pear_exception', 'high', 'license-denied:BSD-2-Clause']],
    );
  });
});
