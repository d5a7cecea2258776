/**
 * Prohibited software in a real Debian image: a bookworm minbase root filesystem with Debian's
 * nmap package installed by mmdebstrap from the machine's mirror, scanned as a root filesystem
 * directory by the real `drydock image --scanners compliance`. The nmap package is reported from
 * the real dpkg database, and nothing else of the image is prohibited.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { ScanReport } from '@drydock/engine';
import { runDrydock } from './harness/drydock-cli.ts';

const run = promisify(execFile);

/** Built once and kept under the test run's temporary directory (or the system's, as a cache). */
async function debianWithNmap(): Promise<string> {
  const target = join(process.env['DRYDOCK_TEST_TMP'] ?? tmpdir(), 'drydock-debian-bookworm-nmap');
  if (existsSync(target)) return target;
  const sources = await readFile('/etc/apt/sources.list.d/debian.sources', 'utf8');
  const mirror = /^URIs:\s*(\S+)/m.exec(sources)?.[1];
  if (!mirror) throw new Error('no Debian mirror (URIs:) in /etc/apt/sources.list.d/debian.sources');
  const scratch = `${target}.build-${process.pid}`;
  try {
    await run(
      'mmdebstrap',
      ['--quiet', '--variant=minbase', '--include=nmap', '--format=directory', 'bookworm', scratch, mirror],
      { maxBuffer: 1 << 26 },
    );
    await rename(scratch, target);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return target;
}

let report: ScanReport;

before(async () => {
  const rootfs = await debianWithNmap();
  const result = await runDrydock(
    ['image', '--no-progress', '--format', 'json', '--scanners', 'compliance', `dir:${rootfs}`],
    { env: { DRYDOCK_CACHE_DIR: join(rootfs, '..', 'drydock-nmap-cache') }, timeoutMs: 300_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  report = JSON.parse(result.stdout) as ScanReport;
});

describe('compliance of a Debian image with nmap installed', () => {
  it('reports Debian’s nmap package as prohibited, from the real dpkg database, and nothing else', () => {
    const image = report.images[0];
    assert.ok(image?.compliance);
    const prohibited = image.compliance.findings.filter((finding) => finding.type === 'prohibited');
    assert.deepEqual(
      prohibited.map((finding) => [finding.rule, finding.software, finding.ecosystem, finding.path]),
      [['prohibited:nmap', 'nmap', 'deb', 'var/lib/dpkg/status']],
    );
    assert.match(prohibited[0]?.version ?? '', /^7\.93\+dfsg1-1/);
    assert.equal(prohibited[0]?.severity, 'high');
  });

  it('classifies the licences of the real Debian packages and finds no end of life for bookworm today', () => {
    const image = report.images[0];
    assert.ok(image?.compliance);
    const { licenses, findings } = image.compliance;
    assert.equal(licenses.packages, image.packages.length);
    assert.ok(image.packages.length > 90, `${image.packages.length} packages`);
    // GPL is everywhere in Debian; by default it is not reported for OS packages.
    assert.ok(licenses.byCategory.restricted > 20, JSON.stringify(licenses.byCategory));
    assert.ok(!findings.some((finding) => finding.rule.startsWith('license-restricted')));
    assert.ok(!findings.some((finding) => finding.type === 'end-of-life' && finding.severity !== 'low'));
  });
});
