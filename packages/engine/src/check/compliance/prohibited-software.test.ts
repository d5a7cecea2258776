import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dpkgAnalyzer } from '../../analyzer/dpkg/analyzer.ts';
import { resolvePolicy } from './compliance-policy.ts';
import { prohibitedSoftwareFindings } from './prohibited-software.ts';
import { builtinProhibitedSoftware } from './prohibited-software-list.ts';
import { inventoryOf } from './real-inventory.ts';

const fixtures = join(import.meta.dirname, 'fixtures');

/** Debian 12's real nmap package (control fields and file list) beside base-files, in a dpkg database. */
async function nmapImage() {
  const { packages, diagnostics } = await inventoryOf(dpkgAnalyzer, [
    { imagePath: 'var/lib/dpkg/status', source: join(fixtures, 'nmap-dpkg-status') },
    { imagePath: 'var/lib/dpkg/info/nmap.list', source: join(fixtures, 'nmap.list') },
  ]);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    packages.map((pkg) => pkg.name),
    ['base-files', 'nmap'],
  );
  return packages;
}

describe('prohibited software', () => {
  it("finds Debian's nmap package in a dpkg database, and nothing else there", async () => {
    const findings = prohibitedSoftwareFindings(await nmapImage(), [], resolvePolicy(undefined));
    assert.deepEqual(findings, [
      {
        type: 'prohibited',
        severity: 'high',
        software: 'nmap',
        version: '7.93+dfsg1-1',
        ecosystem: 'deb',
        purl: 'pkg:deb/debian/nmap@7.93+dfsg1-1?arch=amd64',
        path: 'var/lib/dpkg/status',
        layerIndex: 0,
        reason:
          'Network scanner: Nmap maps hosts, open ports and service versions: reconnaissance for an attack, never needed by a service at run time. Installed as a package.',
        rule: 'prohibited:nmap',
      },
    ]);
  });

  it('finds executables by name only where no package owns them, on either side of a merged /usr', async () => {
    const executables = [
      { path: 'usr/bin/nmap', layerIndex: 0 },
      { path: 'bin/nping', layerIndex: 0 },
      { path: 'opt/tools/nmap', layerIndex: 2 },
      { path: '/usr/local/bin/xmrig', layerIndex: 3 },
      { path: 'usr/local/bin/node', layerIndex: 3 },
    ];
    const findings = prohibitedSoftwareFindings(await nmapImage(), executables, resolvePolicy(undefined));
    assert.deepEqual(
      findings.map((finding) => [
        finding.rule,
        finding.software,
        finding.path,
        finding.layerIndex,
        finding.severity,
      ]),
      [
        ['prohibited:nmap', 'nmap', 'var/lib/dpkg/status', 0, 'high'],
        ['prohibited:nmap', 'nmap', 'opt/tools/nmap', 2, 'high'],
        ['prohibited:xmrig', 'xmrig', 'usr/local/bin/xmrig', 3, 'critical'],
      ],
    );
    assert.match(findings[2]?.reason ?? '', /an executable of that name that no package owns/);
  });

  it("matches the project's own list by package, by name and by digest, and drops allowed built-in entries", async () => {
    const digest = 'ab'.repeat(32);
    const policy = resolvePolicy({
      allowSoftware: ['nmap'],
      prohibitedSoftware: [
        {
          id: 'base-files-test',
          category: 'remote-access',
          severity: 'medium',
          reason: 'A test entry.',
          packages: { deb: ['base-files'] },
          binaries: ['our-backdoor'],
          sha256: [digest],
        },
      ],
    });
    const findings = prohibitedSoftwareFindings(
      await nmapImage(),
      [
        { path: 'usr/bin/nmap', layerIndex: 0 },
        { path: 'opt/our-backdoor', layerIndex: 1 },
        { path: 'usr/bin/innocent', layerIndex: 1, sha256: digest.toUpperCase() },
      ],
      policy,
    );
    assert.deepEqual(
      findings.map((finding) => [finding.rule, finding.software, finding.path]),
      [
        ['prohibited:base-files-test', 'base-files', 'var/lib/dpkg/status'],
        ['prohibited:base-files-test', 'our-backdoor', 'opt/our-backdoor'],
        ['prohibited:base-files-test', 'innocent', 'usr/bin/innocent'],
      ],
    );
    assert.match(findings[2]?.reason ?? '', /SHA-256 digest matches/);
  });

  it('keeps the built-in list consistent: unique ids and binary names, a reason and a way to match each', () => {
    const ids = builtinProhibitedSoftware.map((entry) => entry.id);
    assert.equal(new Set(ids).size, ids.length);
    const binaries = builtinProhibitedSoftware.flatMap((entry) => entry.binaries);
    assert.equal(new Set(binaries).size, binaries.length);
    for (const entry of builtinProhibitedSoftware) {
      assert.ok(entry.reason.length > 20, entry.id);
      assert.ok(entry.binaries.length > 0 || Object.keys(entry.packages).length > 0, entry.id);
      // Generic names would flag ordinary tools (busybox's nc applet, a script called `run`).
      assert.ok(!entry.binaries.some((name) => ['nc', 'netcat', 'run', 'miner'].includes(name)), entry.id);
    }
  });
});
