/**
 * End to end: the `drydock image` command against the real registry in all three auth modes and
 * against local formats of the same image, which must all give the same result.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ScanReport } from '@drydock/engine';
import { runDrydock } from './harness/drydock-cli.ts';
import { writeOciImage, writeOciIndex, type FileSpec } from './harness/oci-builder.ts';
import {
  defaultTestUser,
  startRegistries,
  type RegistryAuth,
  type TestRegistry,
} from './harness/registry.ts';
import { ociArchive, pushLayout, writeDockerArchive } from './harness/skopeo.ts';
import { nodeFlags } from '../packages/cli/bin/node-flags.js';
import { testCacheDir } from './harness/isolated-cache.ts';

const base: FileSpec[] = [
  {
    path: 'usr/lib/os-release',
    content: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.18.4\nPRETTY_NAME="Alpine Linux v3.18"\n',
  },
  { path: 'etc/os-release', type: 'symlink', linkTarget: '../usr/lib/os-release' },
  { path: 'etc/alpine-release', content: '3.18.4\n' },
  { path: 'bin/busybox', content: Buffer.alloc(300_000, 1), mode: 0o755 },
  { path: 'bin/su', content: 'su', mode: 0o4755 },
  { path: 'usr/bin/wall', content: 'wall', mode: 0o2755 },
  { path: 'tmp/scratch.txt', content: 'scratch', mode: 0o666 },
];
const app: FileSpec[] = [
  { path: 'app/main.js', content: 'console.log(1)\n' },
  { path: 'app/data.bin', content: Buffer.alloc(500_000, 2) },
  { path: 'tmp/.wh.scratch.txt', content: '' },
];

let work: string;
let registries: Readonly<Record<RegistryAuth, TestRegistry>>;
const credentials = ['--username', defaultTestUser.username, '--password', defaultTestUser.password];

function parse(stdout: string): ScanReport {
  return JSON.parse(stdout) as ScanReport;
}

/** The parts of a report that must not depend on where the image was read from. */
function essence(report: ScanReport) {
  return report.images.map((image) => ({
    platform: image.platform,
    configDigest: image.configDigest,
    os: image.os && { family: image.os.family, version: image.os.version, path: image.os.path },
    diffIds: image.layers.map((layer) => layer.diffId),
    uncompressed: image.layers.map((layer) => layer.uncompressedSize),
    createdBy: image.layers.map((layer) => layer.createdBy),
    files: image.files,
  }));
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-image-command-'));
  registries = await startRegistries();
  const layout = join(work, 'layout');
  await writeOciImage(layout, 'v1', {
    config: {
      user: 'app',
      env: ['PATH=/bin', 'DB_PASSWORD=hunter2hunter2'],
      cmd: ['/app/main.js'],
      exposedPorts: ['8080/tcp'],
    },
    layers: [
      { files: base, compression: 'gzip', createdBy: 'ADD alpine.tar /' },
      { files: app, compression: 'zstd', createdBy: 'COPY app /app' },
    ],
  });
  const amd = await writeOciImage(layout, undefined, {
    architecture: 'amd64',
    layers: [{ files: base, compression: 'gzip' }],
  });
  const arm = await writeOciImage(layout, undefined, {
    architecture: 'arm64',
    variant: 'v8',
    layers: [{ files: base.slice(0, 3), compression: 'none' }],
  });
  await writeOciIndex(layout, 'multi', [amd, arm]);
  for (const auth of ['none', 'basic', 'token'] as const) {
    const registry = registries[auth];
    const destCredentials = auth === 'none' ? {} : { destCredentials: defaultTestUser };
    await pushLayout(layout, 'v1', `${registry.host}/team/app:v1`, destCredentials);
    await pushLayout(layout, 'multi', `${registry.host}/team/multi:1`, { all: true, ...destCredentials });
  }
  await writeDockerArchive(layout, 'v1', join(work, 'saved.tar'), 'team/app:v1');
  await ociArchive(layout, join(work, 'layout.tar'));
});

after(async () => {
  await Promise.all(Object.values(registries ?? {}).map((registry) => registry.stop()));
  await rm(work, { recursive: true, force: true });
});

describe('drydock image', () => {
  it('gives the same result from every registry auth mode, by tag and by digest, and from local formats', async () => {
    const noauth = await runDrydock(['image', '--format', 'json', `${registries.none.host}/team/app:v1`]);
    assert.equal(noauth.code, 0, noauth.stderr);
    const expected = parse(noauth.stdout);
    const image = expected.images[0];
    assert.ok(image);
    assert.equal(image.os?.family, 'alpine');
    assert.equal(image.os?.version, '3.18.4');
    assert.equal(
      image.files.files,
      7,
      'busybox su wall os-release alpine-release main.js data.bin; scratch.txt deleted',
    );
    assert.deepEqual(image.files.setuid, ['bin/su']);
    assert.deepEqual(image.files.setgid, ['usr/bin/wall']);
    assert.deepEqual(image.files.worldWritable, []);
    assert.deepEqual(
      image.files.largest.slice(0, 2).map((file) => [file.path, file.layerIndex]),
      [
        ['app/data.bin', 1],
        ['bin/busybox', 0],
      ],
    );
    assert.ok(image.config.env.includes('PATH=/bin'));
    assert.ok(
      !image.config.env.join(' ').includes('hunter2hunter2'),
      'credential-looking env values are masked',
    );

    const digest = expected.artifact.digest;
    assert.ok(digest);
    const variants: [string, string[]][] = [
      ['basic', ['image', '--format', 'json', ...credentials, `${registries.basic.host}/team/app:v1`]],
      ['token', ['image', '--format', 'json', ...credentials, `${registries.token.host}/team/app:v1`]],
      ['by digest', ['image', '--format', 'json', `${registries.none.host}/team/app@${digest}`]],
      ['oci layout', ['image', '--format', 'json', `oci:${join(work, 'layout')}:v1`]],
      ['oci archive', ['image', '--format', 'json', `oci-archive:${join(work, 'layout.tar')}:v1`]],
      ['docker archive', ['image', '--format', 'json', `docker-archive:${join(work, 'saved.tar')}`]],
    ];
    for (const [name, args] of variants) {
      const result = await runDrydock(args);
      assert.equal(result.code, 0, `${name}: ${result.stderr}`);
      assert.deepEqual(essence(parse(result.stdout)), essence(expected), name);
    }
  });

  it('scans one or every platform of a multi-architecture index', async () => {
    const reference = `${registries.token.host}/team/multi:1`;
    const one = await runDrydock([
      'image',
      '--format',
      'json',
      ...credentials,
      '--platform',
      'linux/arm64',
      reference,
    ]);
    assert.equal(one.code, 0, one.stderr);
    const single = parse(one.stdout);
    assert.equal(single.artifact.platforms.length, 2);
    assert.deepEqual(
      single.images.map((image) => image.platform.architecture),
      ['arm64'],
    );
    const all = await runDrydock(['image', '--format', 'json', ...credentials, '--all-platforms', reference]);
    assert.equal(all.code, 0, all.stderr);
    const both = parse(all.stdout);
    assert.deepEqual(both.images.map((image) => image.platform.architecture).sort(), ['amd64', 'arm64']);
    const table = await runDrydock(['image', ...credentials, '--all-platforms', reference]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /linux\/arm64\/v8/);
    assert.match(table.stdout, /Alpine Linux v3\.18/);
  });

  it('ends with a typed error and exit status 2 for wrong credentials, missing images and bad references', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['image', '--username', 'alice', '--password', 'wrong', `${registries.basic.host}/team/app:v1`],
        /\[authentication_failed/,
      ],
      [
        ['image', '--username', 'alice', '--password', 'wrong', `${registries.token.host}/team/app:v1`],
        /\[authentication_failed/,
      ],
      [['image', `${registries.basic.host}/team/app:v1`], /\[authentication_failed/],
      [['image', `${registries.none.host}/team/app:nope`], /\[not_found/],
      [['image', `${registries.none.host}/team/missing:v1`], /\[not_found/],
      [['image', 'team/UPPER:tag'], /\[invalid_reference/],
      [['image', 'alpine:bad tag'], /\[invalid_reference/],
      [['image', '--platform', 'linux/s390x', `${registries.none.host}/team/multi:1`], /\[not_found/],
      [['image', `oci:${join(work, 'nothing-here')}`], /\[(not_found|malformed_image)/],
    ];
    for (const [args, pattern] of cases) {
      const result = await runDrydock(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, pattern, args.join(' '));
      assert.ok(
        !result.stderr.includes('wrong') && !result.stderr.includes(defaultTestUser.password),
        'no secret in errors',
      );
    }
  });

  it('reads the password from standard input', async () => {
    const result = await runDrydock(
      [
        'image',
        '--format',
        'json',
        '--username',
        'alice',
        '--password-stdin',
        `${registries.basic.host}/team/app:v1`,
      ],
      {
        input: `${defaultTestUser.password}\n`,
      },
    );
    assert.equal(result.code, 0, result.stderr);
  });

  it('draws progress bars on a terminal, and none when the output is not one', async () => {
    const reference = `oci:${join(work, 'layout')}:v1`;
    const cli = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'drydock.js');
    const command = `${process.execPath} ${nodeFlags.join(' ')} ${cli} image --format json -o ${join(work, 'tty.json')} ${reference}`;
    // util-linux `script` gives the command a pseudo-terminal, as a user's shell would.
    const terminal = await new Promise<string>((resolve, reject) => {
      execFile(
        'script',
        ['-qec', command, '/dev/null'],
        { maxBuffer: 1 << 24, timeout: 60_000, env: { ...process.env, DRYDOCK_CACHE_DIR: testCacheDir() } },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      );
    });
    assert.match(terminal, /layer 1 \[/);
    const piped = await runDrydock(['image', '--format', 'json', reference]);
    assert.doesNotMatch(piped.stderr, /layer 1 \[/);
  });
});
