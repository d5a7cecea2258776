/**
 * Baseline and software compliance end to end: an image built here (a Debian 10 base with a
 * second UID 0 account, a weak sha512crypt password made by the real mkpasswd, a permissive
 * sshd_config, Debian's nmap package in the dpkg database, an unowned xmrig binary; an application
 * layer with an AGPL npm package; a configuration without USER or HEALTHCHECK that exposes 22 and
 * pipes a downloaded script into a shell), pushed to the real registry and scanned by the real
 * `drydock image` command with `--scanners baseline,compliance`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { BaselineCheckResult, ScanReport } from '@drydock/engine';
import { runDrydock, type CliResult } from './harness/drydock-cli.ts';
import { writeOciImage, type FileSpec } from './harness/oci-builder.ts';
import { startRegistry, type TestRegistry } from './harness/registry.ts';
import { sarifErrors } from './harness/schemas.ts';
import { pushLayout } from './harness/skopeo.ts';

const run = promisify(execFile);
const weakPassword = 'letmein';
/** A miner renamed to look like a kernel helper: only its digest gives it away. */
const renamedMiner = Buffer.from('\x7fELF a renamed miner build');
/** In no dictionary: found only when the project lists it. */
const projectPassword = 'Zephyr!Harbour42';
const nmapStatus = join(
  import.meta.dirname,
  '..',
  'packages/engine/src/check/compliance/fixtures/nmap-dpkg-status',
);

let work: string;
let registry: TestRegistry;
let reference: string;

function scan(args: readonly string[]): Promise<CliResult> {
  return runDrydock(['image', '--no-progress', ...args, reference], {
    env: { DRYDOCK_CACHE_DIR: join(work, 'cache') },
  });
}

function reportOf(result: CliResult): ScanReport {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as ScanReport;
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-baseline-'));
  registry = await startRegistry();
  const { stdout: hash } = await run('mkpasswd', ['-m', 'sha-512', weakPassword, 'Qw3rtyS4lt']);
  const { stdout: bobHash } = await run('mkpasswd', ['-m', 'md5', projectPassword, 'Hx8pQ2aZ']);
  const base: FileSpec[] = [
    {
      path: 'etc/os-release',
      content:
        'PRETTY_NAME="Debian GNU/Linux 10 (buster)"\nNAME="Debian GNU/Linux"\nVERSION_ID="10"\nVERSION_CODENAME=buster\nID=debian\n',
    },
    { path: 'etc/debian_version', content: '10.13\n' },
    {
      path: 'etc/passwd',
      content:
        'root:x:0:0:root:/root:/bin/bash\n' +
        'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n' +
        'alice:x:1000:1000::/home/alice:/bin/bash\n' +
        'toor:x:0:0::/root:/bin/bash\n' +
        'bob:x:1001:1001::/home/bob:/bin/bash\n',
    },
    {
      path: 'etc/shadow',
      content: `root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nalice:${hash.trim()}:19000:0:90:7:::\ntoor:*:19000:0:99999:7:::\nbob:${bobHash.trim()}:19000:0:90:7:::\n`,
      mode: 0o640,
    },
    { path: 'etc/group', content: 'root:x:0:\ndaemon:x:1:\nalice:x:1000:\nbob:x:1001:\n' },
    { path: 'etc/ssh/sshd_config', content: 'PermitRootLogin yes\nPasswordAuthentication yes\n' },
    { path: 'var/lib/dpkg/status', content: await readFile(nmapStatus, 'utf8') },
    { path: 'usr/local/bin/xmrig', content: Buffer.from('\x7fELF miner'), mode: 0o755 },
    { path: 'usr/local/sbin/kworker-helper', content: renamedMiner, mode: 0o755 },
  ];
  const app: FileSpec[] = [
    {
      path: 'app/node_modules/ghostwriter/package.json',
      content: `${JSON.stringify({ name: 'ghostwriter', version: '1.2.0', license: 'AGPL-3.0-only' })}\n`,
    },
    {
      path: 'app/node_modules/left-pad/package.json',
      content: `${JSON.stringify({ name: 'left-pad', version: '1.3.0', license: 'MIT' })}\n`,
    },
  ];
  const layout = join(work, 'layout');
  await writeOciImage(layout, 'latest', {
    config: { env: ['PATH=/usr/bin:/bin'], exposedPorts: ['22/tcp', '8080/tcp'], cmd: ['node', '/app'] },
    history: [
      { createdBy: '/bin/sh -c #(nop) ADD file:4b0c5e9a in / ' },
      { createdBy: '/bin/sh -c #(nop)  CMD ["bash"]', emptyLayer: true },
      { createdBy: '/bin/sh -c curl -fsSL https://get.example.net/install.sh | sh' },
      { createdBy: '/bin/sh -c #(nop)  EXPOSE 22/tcp 8080/tcp', emptyLayer: true },
    ],
    layers: [
      { files: base, compression: 'gzip' },
      { files: app, compression: 'gzip' },
    ],
  });
  reference = `${registry.host}/team/legacy:latest`;
  await pushLayout(layout, 'latest', reference);
});

after(async () => {
  await registry?.stop();
  await rm(work, { recursive: true, force: true });
});

function byId(checks: readonly BaselineCheckResult[]): Map<string, BaselineCheckResult> {
  return new Map(checks.map((check) => [check.id, check]));
}

describe('baseline checks of an image', () => {
  it('fails the checks the image breaks, with evidence, and finds the weak password', async () => {
    const image = reportOf(await scan(['--format', 'json', '--scanners', 'baseline'])).images[0];
    assert.ok(image?.baseline);
    const checks = byId(image.baseline.checks);
    const failed = (id: string) => checks.get(id)?.result;
    assert.equal(failed('cis-4.1-non-root-user'), 'fail');
    assert.equal(failed('cis-4.6-healthcheck'), 'fail');
    assert.equal(failed('drydock-remote-script-piped-to-shell'), 'fail');
    assert.equal(failed('drydock-sensitive-exposed-port'), 'fail');
    assert.equal(failed('drydock-image-tag-latest'), 'fail');
    assert.equal(failed('accounts-uid0-besides-root'), 'fail');
    assert.equal(failed('accounts-duplicate-uids'), 'fail');
    assert.equal(failed('sshd-permit-root-login'), 'fail');
    assert.equal(failed('sshd-password-authentication'), 'fail');
    assert.equal(failed('accounts-empty-passwords'), 'pass');
    assert.equal(failed('cis-4.10-secrets-in-config'), 'pass');
    const weak = checks.get('weak-password');
    assert.equal(weak?.result, 'fail');
    assert.equal(weak?.severity, 'critical');
    assert.deepEqual(
      weak?.evidence.map((item) => [item.location, item.line, item.detail]),
      [
        [
          'etc/shadow',
          3,
          `alice: sha512crypt, password ${weakPassword[0]}${'*'.repeat(weakPassword.length - 1)}`,
        ],
      ],
    );
    assert.ok(image.baseline.weakPasswords && image.baseline.weakPasswords.tried > 0);
    assert.equal(image.secrets, undefined, '--scanners baseline alone searches no secrets');
  });

  it('never prints the cracked password, shows the Baseline section and validates as SARIF', async () => {
    const table = await scan(['--scanners', 'baseline']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /Baseline \(\d+ failed\)/);
    assert.match(table.stdout, /weak-password/);
    const sarif = await scan(['--scanners', 'baseline', '--format', 'sarif']);
    assert.deepEqual(sarifErrors(JSON.parse(sarif.stdout)), []);
    for (const output of [
      table.stdout,
      sarif.stdout,
      (await scan(['--scanners', 'baseline', '--format', 'json'])).stdout,
    ])
      assert.ok(!output.includes(weakPassword), 'the password is shown');
  });

  it('skips the password search with --password-budget 0 and tries the project words', async () => {
    const off = reportOf(
      await scan(['--format', 'json', '--scanners', 'baseline', '--password-budget', '0']),
    );
    assert.equal(off.images[0]?.baseline?.weakPasswords, undefined);
    assert.ok(!off.images[0]?.baseline?.checks.some((check) => check.id === 'weak-password'));
    const words = join(work, 'words.txt');
    await writeFile(words, `# the project's own\n${projectPassword}\n`);
    const withWords = reportOf(
      await scan(['--format', 'json', '--scanners', 'baseline', '--password-words', words]),
    );
    const weak = withWords.images[0]?.baseline?.checks.find((check) => check.id === 'weak-password');
    assert.deepEqual(weak?.evidence.map((item) => item.detail.split(':')[0]).sort(), ['alice', 'bob']);
    assert.ok(!JSON.stringify(withWords).includes(projectPassword));
    const bad = await scan(['--scanners', 'baseline', '--password-budget', 'lots']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--password-budget/);
  });
});

describe('software compliance of an image', () => {
  it('finds prohibited software by package and by name, the end-of-life OS and the forbidden licence', async () => {
    const image = reportOf(await scan(['--format', 'json', '--scanners', 'compliance'])).images[0];
    assert.ok(image?.compliance);
    const rules = image.compliance.findings.map(
      (finding) => `${finding.rule} ${finding.software} /${finding.path}`,
    );
    assert.ok(rules.includes('prohibited:nmap nmap /var/lib/dpkg/status'), rules.join('\n'));
    assert.ok(rules.includes('prohibited:xmrig xmrig /usr/local/bin/xmrig'), rules.join('\n'));
    assert.ok(
      rules.some((rule) => rule.startsWith('eol:debian-10 ')),
      rules.join('\n'),
    );
    assert.ok(
      rules.some((rule) => rule.startsWith('license-forbidden:AGPL-3.0') && rule.includes(' ghostwriter ')),
      rules.join('\n'),
    );
    assert.ok(!rules.some((rule) => rule.includes('left-pad')), 'MIT is permissive');
    assert.equal(image.compliance.licenses.packages, image.packages.length);
  });

  it("applies the project's policy file: allowed licences and software, its own prohibited program", async () => {
    const policy = join(work, 'compliance.yaml');
    await writeFile(
      policy,
      `allowIds: [AGPL-3.0]
allowSoftware: [nmap]
prohibitedSoftware:
  - id: no-left-pad
    category: network-relay
    severity: low
    reason: The project bans left-pad since it was unpublished.
    packages: { npm: [left-pad] }
  - id: acme-known-miner
    category: crypto-miner
    severity: critical
    reason: A miner build seen on the project's hosts.
    sha256: [${createHash('sha256').update(renamedMiner).digest('hex')}]
`,
    );
    const rules = reportOf(
      await scan(['--format', 'json', '--scanners', 'compliance', '--compliance-policy', policy]),
    ).images[0]?.compliance?.findings.map((finding) => finding.rule);
    assert.ok(rules && !rules.some((rule) => rule.startsWith('license-forbidden:AGPL')), rules?.join(' '));
    assert.ok(!rules.includes('prohibited:nmap'));
    assert.ok(rules.includes('prohibited:xmrig'));
    assert.ok(rules.includes('prohibited:no-left-pad'), rules.join(' '));
    assert.ok(rules.includes('prohibited:acme-known-miner'), rules.join(' '));
    await writeFile(policy, 'forbiddenCategories: [forbiden]\n');
    const bad = await scan(['--scanners', 'compliance', '--compliance-policy', policy]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\[invalid_compliance_policy\]/);
    assert.match(bad.stderr, /forbiddenCategories\.0/);
  });

  it('shows the section, gates CI with --exit-code and filters by --severity', async () => {
    const table = await scan(['--scanners', 'compliance', '--exit-code', '4']);
    assert.equal(table.code, 4);
    assert.match(table.stdout, /Software compliance \(\d+\)/);
    const critical = reportOf(
      await scan(['--format', 'json', '--scanners', 'compliance', '--severity', 'CRITICAL']),
    ).images[0];
    assert.ok(critical?.compliance?.findings.every((finding) => finding.severity === 'critical'));
    assert.ok(critical?.compliance?.findings.some((finding) => finding.software === 'xmrig'));
  });
});
