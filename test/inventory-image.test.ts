/**
 * The software inventory end to end: a real Debian root filesystem as the base layer of an image,
 * a second layer that installs and removes packages (rewriting the dpkg database), scanned by the
 * `drydock image` command. Packages must equal dpkg-query's on the final tree, each credited to the
 * layer that installed it, and the CycloneDX and SPDX outputs must validate against their schemas.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { ScanReport } from '@drydock/engine';
import { debianRootfs } from './harness/debian-rootfs.ts';
import { runDrydock } from './harness/drydock-cli.ts';
import { writeOciImage } from './harness/oci-builder.ts';
import { defaultTestUser, startRegistry, type TestRegistry } from './harness/registry.ts';
import { cycloneDxErrors, spdxErrors } from './harness/schemas.ts';
import { pushLayout } from './harness/skopeo.ts';

const run = promisify(execFile);
let work: string;
let layout: string;
let expected: Map<string, string>;
let registry: TestRegistry | undefined;
let reference = '';
const credentials = ['--username', defaultTestUser.username, '--password', defaultTestUser.password];

/** The dpkg status of the base, with `removed` dropped and a made-up `extra` package added. */
function changedStatus(status: string, removed: string): string {
  const stanzas = status
    .split(/\n\n+/)
    .filter((stanza) => stanza.trim() !== '' && !stanza.startsWith(`Package: ${removed}\n`));
  stanzas.push(
    [
      'Package: drydock-extra',
      'Status: install ok installed',
      'Architecture: all',
      'Version: 1.0-1',
      'Description: test package',
    ].join('\n'),
  );
  return `${stanzas.join('\n\n')}\n`;
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-inventory-image-'));
  const rootfs = await debianRootfs();
  const status = await readFile(join(rootfs, 'var/lib/dpkg/status'), 'utf8');
  // Layer 2 rewrites the database: one package removed (with its files list), one added.
  const upper = join(work, 'upper');
  await mkdir(join(upper, 'var/lib/dpkg/info'), { recursive: true });
  await writeFile(join(upper, 'var/lib/dpkg/status'), changedStatus(status, 'ncurses-bin'));
  await writeFile(join(upper, 'var/lib/dpkg/info/.wh.ncurses-bin.list'), '');
  // Layer 3: real Python packages and a real Go program from Debian, copied from this machine.
  const apps = join(work, 'apps');
  for (const name of ['requests-2.28.1.egg-info', 'six-1.16.0.egg-info', 'PyYAML-6.0.dist-info']) {
    await cp(
      join('/usr/lib/python3/dist-packages', name),
      join(apps, 'usr/lib/python3/dist-packages', name),
      {
        recursive: true,
      },
    );
  }
  await cp('/usr/bin/skopeo', join(apps, 'usr/bin/skopeo'));
  layout = join(work, 'layout');
  await writeOciImage(layout, 'v1', {
    layers: [
      { directory: rootfs, compression: 'gzip', createdBy: 'ADD debian-bookworm-minbase /' },
      {
        directory: upper,
        compression: 'zstd',
        createdBy: 'RUN dpkg --purge ncurses-bin && dpkg -i drydock-extra.deb',
      },
      { directory: apps, compression: 'gzip', createdBy: 'COPY python-and-go /' },
    ],
  });
  registry = await startRegistry({ auth: 'basic' });
  reference = `${registry.host}/library/debian-apps:v1`;
  await pushLayout(layout, 'v1', reference, { destCredentials: defaultTestUser });
  const { stdout } = await run(
    'dpkg-query',
    ['-W', `--admindir=${join(rootfs, 'var/lib/dpkg')}`, '-f', '${Package}\t${Version}\n'],
    {
      maxBuffer: 1 << 24,
    },
  );
  expected = new Map(
    stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t') as [string, string]),
  );
  expected.delete('ncurses-bin');
  expected.set('drydock-extra', '1.0-1');
});

after(async () => {
  await registry?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('inventory of a real Debian image', () => {
  it('lists every package of the final image, pulled from the registry, with the layer that installed it', async () => {
    const result = await runDrydock(['image', '--format', 'json', ...credentials, reference]);
    assert.equal(result.code, 0, result.stderr);
    const image = (JSON.parse(result.stdout) as ScanReport).images[0];
    assert.ok(image);
    assert.equal(image.os?.id, 'debian');
    const debs = image.packages.filter((pkg) => pkg.ecosystem === 'deb');
    assert.deepEqual(new Map(debs.map((pkg) => [pkg.name, pkg.version])), expected);
    const byName = new Map(debs.map((pkg) => [pkg.name, pkg]));
    assert.equal(byName.get('drydock-extra')?.layer.index, 1);
    assert.equal(byName.get('libc6')?.layer.index, 0, 'unchanged packages belong to the base layer');
    assert.match(byName.get('libc6')?.purl ?? '', /^pkg:deb\/debian\/libc6@.*distro=debian-12/);
    assert.equal(byName.get('libc6')?.source?.name, 'glibc');
    assert.ok(
      (byName.get('bash')?.licenses.length ?? 0) > 0,
      'licences come from the base layer copyright files',
    );
    assert.ok(byName.get('bash')?.files?.includes('bin/bash'));
  });

  it('finds the Debian Python packages and the Go program at the versions Debian ships', async () => {
    const result = await runDrydock(['image', '--format', 'json', `oci:${layout}:v1`]);
    assert.equal(result.code, 0, result.stderr);
    const image = (JSON.parse(result.stdout) as ScanReport).images[0];
    assert.ok(image);
    const pypi = new Map(
      image.packages.filter((pkg) => pkg.ecosystem === 'pypi').map((pkg) => [pkg.name, pkg]),
    );
    assert.equal(pypi.get('requests')?.version, '2.28.1');
    assert.equal(pypi.get('six')?.version, '1.16.0');
    assert.equal(pypi.get('PyYAML')?.version ?? pypi.get('pyyaml')?.version, '6.0');
    assert.equal(pypi.get('requests')?.layer.index, 2);
    const { stdout } = await run('go', ['version', '-m', '/usr/bin/skopeo']);
    const goVersion = /go(\d+\.\d+(?:\.\d+)?)/.exec(stdout)?.[1];
    const stdlib = image.packages.find(
      (pkg) => pkg.ecosystem === 'golang' && pkg.name === 'stdlib' && pkg.path === 'usr/bin/skopeo',
    );
    assert.equal(stdlib?.version, `v${goVersion}`);
  });

  it('writes CycloneDX and SPDX documents that validate against their schemas', async () => {
    const cyclonedx = await runDrydock(['image', '--format', 'cyclonedx', `oci:${layout}:v1`]);
    assert.equal(cyclonedx.code, 0, cyclonedx.stderr);
    const bom = JSON.parse(cyclonedx.stdout) as { components: { purl?: string }[] };
    assert.deepEqual(cycloneDxErrors(bom), []);
    assert.ok(bom.components.length >= expected.size);
    const spdx = await runDrydock(['image', '--format', 'spdx-json', `oci:${layout}:v1`]);
    assert.equal(spdx.code, 0, spdx.stderr);
    const document = JSON.parse(spdx.stdout) as { packages: unknown[] };
    assert.deepEqual(spdxErrors(document), []);
    assert.ok(document.packages.length >= expected.size);
    const table = await runDrydock(['image', `oci:${layout}:v1`]);
    assert.match(table.stdout, /Packages \(\d+\)/);
    assert.match(table.stdout, /drydock-extra/);
  });
});
