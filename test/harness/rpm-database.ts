import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface RpmSpec {
  readonly name: string;
  readonly version: string;
  readonly release: string;
  readonly epoch?: number;
}

/**
 * Installs tiny noarch rpms (built here with rpmbuild) into a fresh rpm database under `root`
 * (`root/var/lib/rpm/rpmdb.sqlite`), as an image's package database would hold them. Needs
 * Debian's rpm package.
 */
export async function buildRpmDatabase(root: string, packages: readonly RpmSpec[]): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'drydock-rpmdb-'));
  try {
    const rpms = join(work, 'rpms');
    await mkdir(rpms, { recursive: true });
    for (const spec of packages) {
      const top = join(work, `build-${spec.name}`);
      for (const dir of ['SPECS', 'RPMS', 'BUILD', 'BUILDROOT', 'SOURCES', 'SRPMS'])
        await mkdir(join(top, dir), { recursive: true });
      const specFile = join(top, 'SPECS', `${spec.name}.spec`);
      await writeFile(
        specFile,
        [
          `Name: ${spec.name}`,
          `Version: ${spec.version}`,
          `Release: ${spec.release}`,
          ...(spec.epoch === undefined ? [] : [`Epoch: ${spec.epoch}`]),
          `Summary: test package ${spec.name}`,
          'License: MIT',
          'BuildArch: noarch',
          '%description',
          `Test package ${spec.name}.`,
          '%install',
          `mkdir -p %{buildroot}/usr/share/${spec.name}`,
          `echo "${spec.name}" > %{buildroot}/usr/share/${spec.name}/README`,
          '%files',
          `/usr/share/${spec.name}/README`,
          '',
        ].join('\n'),
      );
      await run('rpmbuild', ['--quiet', '--define', `_topdir ${top}`, '-bb', specFile]);
      for (const file of await readdir(join(top, 'RPMS', 'noarch'))) {
        await run('cp', [join(top, 'RPMS', 'noarch', file), rpms]);
      }
    }
    await mkdir(root, { recursive: true });
    await run('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '--initdb']);
    const files = (await readdir(rpms)).map((file) => join(rpms, file));
    await run('rpm', [
      '--root',
      root,
      '--dbpath',
      '/var/lib/rpm',
      '-i',
      '--nodeps',
      '--nosignature',
      '--justdb',
      ...files,
    ]);
    // The WAL side files are not part of an image's database.
    await rm(join(root, 'var/lib/rpm/rpmdb.sqlite-shm'), { force: true });
    await rm(join(root, 'var/lib/rpm/rpmdb.sqlite-wal'), { force: true });
    await rm(join(root, 'var/lib/rpm/.rpm.lock'), { force: true });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
