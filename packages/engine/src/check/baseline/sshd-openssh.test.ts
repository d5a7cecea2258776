/**
 * The sshd_config reading checked against sshd itself: Debian bookworm's openssh-server, fetched
 * with apt-get from the machine's mirror and unpacked once (cached beside the Debian root
 * filesystem), prints its effective configuration with `sshd -T`. It runs in a private mount
 * namespace where the test's files are bind-mounted over /etc/ssh and /etc/passwd (sshd wants its
 * privilege separation user) and /run is a fresh tmpfs, so nothing on the machine changes.
 * Needs root, unshare, apt-get and dpkg-deb, as the Debian root filesystem harness does.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { sshdChecks } from './sshd-checks.ts';
import { resolveAlgorithms } from './sshd-algorithms.ts';
import { globalDirective, parseSshdConfig } from './sshd-config.ts';
import { sshdDefaults } from './sshd-defaults.ts';

const run = promisify(execFile);

interface OpensshServer {
  readonly root: string;
  readonly sshd: string;
  readonly libraries: string;
  /** Debian's stock sshd_config, as the package installs it. */
  readonly stockConfig: string;
}

async function opensshServer(): Promise<OpensshServer> {
  const root = join(process.env['DRYDOCK_TEST_TMP'] ?? tmpdir(), 'drydock-openssh-server-bookworm');
  if (!existsSync(root)) {
    const scratch = await mkdtemp(`${root}.build-`);
    try {
      const download = () => run('apt-get', ['download', 'openssh-server', 'libwrap0'], { cwd: scratch });
      // A machine whose packages were all installed earlier may have no package lists yet.
      await download().catch(async () => {
        await run('apt-get', ['update', '-qq']);
        await download();
      });
      for (const deb of (await readdir(scratch)).filter((name) => name.endsWith('.deb'))) {
        await run('dpkg-deb', ['-x', join(scratch, deb), join(scratch, 'root')]);
      }
      await rename(join(scratch, 'root'), root);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  return {
    root,
    sshd: join(root, 'usr/sbin/sshd'),
    libraries: join(root, 'usr/lib/x86_64-linux-gnu'),
    stockConfig: await readFile(join(root, 'usr/share/openssh/sshd_config'), 'utf8'),
  };
}

const comparedKeywords = [
  'permitrootlogin',
  'passwordauthentication',
  'permitemptypasswords',
  'x11forwarding',
  'maxauthtries',
  'ciphers',
  'macs',
  'kexalgorithms',
] as const;

/** sshd -T prints prohibit-password under its older name. */
function normalise(value: string): string {
  const lower = value.toLowerCase();
  return lower === 'prohibit-password' ? 'without-password' : lower;
}

/** What the parser says sshd uses for each compared keyword. */
function ourValues(files: ReadonlyMap<string, string>): Record<string, string> {
  const config = parseSshdConfig(files);
  assert.ok(config);
  const values: Record<string, string> = {};
  for (const keyword of comparedKeywords) {
    const fallback = sshdDefaults[keyword];
    const value = globalDirective(config, keyword)?.args.join(' ') ?? fallback;
    values[keyword] = ['ciphers', 'macs', 'kexalgorithms'].includes(keyword)
      ? resolveAlgorithms(value, fallback).join(',')
      : normalise(value);
  }
  return values;
}

describe('sshd_config reading against OpenSSH 9.2 (sshd -T)', () => {
  let server: OpensshServer;
  let scratch: string;

  before(async () => {
    server = await opensshServer();
    scratch = await mkdtemp(join(tmpdir(), 'drydock-sshd-'));
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(scratch, 'host_key')]);
    const passwd = await readFile('/etc/passwd', 'utf8');
    await writeFile(join(scratch, 'passwd'), `${passwd}sshd:x:999:65534::/run/sshd:/usr/sbin/nologin\n`);
  });
  after(() => rm(scratch, { recursive: true, force: true }));

  let runs = 0;
  /** `sshd -T` over the given image-relative files under etc/ssh/. */
  async function sshdTest(files: ReadonlyMap<string, string>): Promise<Record<string, string>> {
    const etcSsh = join(scratch, `etc-ssh-${runs++}`);
    for (const [path, text] of files) {
      assert.ok(path.startsWith('etc/ssh/'), path);
      const target = join(etcSsh, path.slice('etc/ssh/'.length));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, text);
    }
    const script =
      'mount -t tmpfs tmpfs /run && mkdir /run/sshd && mount --bind "$1" /etc/ssh && mount --bind "$2" /etc/passwd && ' +
      'LD_LIBRARY_PATH="$3" exec "$4" -T -f /etc/ssh/sshd_config -h "$5"';
    const { stdout } = await run('unshare', [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      script,
      'sh',
      etcSsh,
      join(scratch, 'passwd'),
      server.libraries,
      server.sshd,
      join(scratch, 'host_key'),
    ]);
    const printed = new Map(
      stdout.split('\n').map((line) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)]),
    );
    return Object.fromEntries(
      comparedKeywords.map((keyword) => [keyword, normalise(printed.get(keyword) ?? '')]),
    );
  }

  const cases: Record<string, Record<string, string>> = {
    'an empty configuration (the defaults)': { 'etc/ssh/sshd_config': '' },
    'first values, = syntax, quotes and comments': {
      'etc/ssh/sshd_config': [
        '# comment',
        'permitrootlogin=yes',
        'PermitRootLogin no',
        'MaxAuthTries = 3 # three',
        'PermitEmptyPasswords "no"',
        'Ciphers +aes128-cbc',
        'MACs -umac-64*,hmac-sha1*',
        'KexAlgorithms ^diffie-hellman-group14-sha1',
      ].join('\n'),
    },
    'drop-ins in lexical order before the main file, a Match block ending with its file': {
      'etc/ssh/sshd_config': [
        'Include sshd_config.d/*.conf',
        'PermitRootLogin no',
        // Global only if c.conf's Match block ended with c.conf; sshd's default is no.
        'X11Forwarding yes',
        'Match User backup',
        '  PasswordAuthentication no',
      ].join('\n'),
      'etc/ssh/sshd_config.d/B.conf': 'PermitRootLogin yes\n',
      'etc/ssh/sshd_config.d/a.conf': 'PermitRootLogin prohibit-password\nMaxAuthTries 2\n',
      'etc/ssh/sshd_config.d/c.conf': 'Match Group dev\n  X11Forwarding yes\n  MaxAuthTries 9\n',
      'etc/ssh/sshd_config.d/ignored.txt': 'PasswordAuthentication no\n',
    },
  };

  for (const [name, files] of Object.entries(cases)) {
    it(`agrees with sshd -T on ${name}`, async () => {
      const map = new Map(Object.entries(files));
      assert.deepEqual(ourValues(map), await sshdTest(map));
    });
  }

  it("agrees with sshd -T on Debian's stock sshd_config, and checks it as expected", async () => {
    const files = new Map([['etc/ssh/sshd_config', server.stockConfig]]);
    assert.deepEqual(ourValues(files), await sshdTest(files));
    const results = sshdChecks(files);
    assert.deepEqual(
      results.map((result) => [result.id, result.result]),
      [
        ['sshd-permit-root-login', 'pass'],
        ['sshd-password-authentication', 'fail'],
        ['sshd-permit-empty-passwords', 'pass'],
        ['sshd-protocol', 'not_applicable'],
        ['sshd-x11-forwarding', 'fail'],
        ['sshd-max-auth-tries', 'fail'],
        ['sshd-ciphers', 'pass'],
        ['sshd-macs', 'pass'],
        ['sshd-kex-algorithms', 'pass'],
      ],
    );
    // Debian turns X11 forwarding on; the rest are OpenSSH's defaults.
    const x11 = results.find((result) => result.id === 'sshd-x11-forwarding');
    assert.equal(x11?.current, 'X11Forwarding yes');
    const line = server.stockConfig.split('\n')[(x11?.evidence[0]?.line ?? 0) - 1];
    assert.equal(line, 'X11Forwarding yes');
    const passwords = results.find((result) => result.id === 'sshd-password-authentication');
    assert.equal(passwords?.current, 'PasswordAuthentication not set (OpenSSH 9.2 default: yes)');
  });
});
