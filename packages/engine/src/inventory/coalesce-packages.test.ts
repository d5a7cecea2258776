import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OwnedFilesFact, PackageFact } from '../analyzer/fact.ts';
import { coalescePackages } from './coalesce-packages.ts';
import type { DetectedOs } from './coalesce-os.ts';

const layer = (index: number) => ({
  index,
  digest: `sha256:${String(index).repeat(64)}`,
  diffId: undefined,
  createdBy: `step ${index}`,
});

function deb(index: number, name: string, version: string, path = 'var/lib/dpkg/status'): PackageFact {
  return {
    kind: 'package',
    layer: layer(index),
    path,
    origin: 'installed',
    pkg: {
      ecosystem: 'deb',
      name,
      version,
      arch: 'amd64',
      purl: `pkg:deb/debian/${name}@${version}?arch=amd64`,
      licenses: [],
    },
  };
}

const debian: DetectedOs = {
  family: 'debian',
  id: 'debian',
  name: 'Debian GNU/Linux',
  versionId: '12.5',
  versionCodename: 'bookworm',
  prettyName: undefined,
  idLike: [],
  path: 'etc/os-release',
  layerIndex: 0,
};

describe('coalescePackages', () => {
  it('keeps the top surviving database and credits each package to the layer that installed it', () => {
    const facts = [
      deb(0, 'libc6', '2.36-9'),
      deb(0, 'bash', '5.2-1'),
      deb(2, 'libc6', '2.36-9'),
      deb(2, 'bash', '5.2-2'),
      deb(2, 'curl', '7.88-1'),
      deb(3, 'libc6', '2.36-9'),
      deb(3, 'bash', '5.2-2'),
    ];
    const inventory = coalescePackages(facts, [], { layerOf: () => 3 }, debian);
    assert.deepEqual(
      inventory.map((pkg) => [pkg.name, pkg.version, pkg.layer.index]),
      [
        ['bash', '5.2-2', 2],
        ['libc6', '2.36-9', 0],
      ],
      'curl was removed in layer 3; bash was upgraded in layer 2',
    );
    assert.equal(inventory[1]?.purl, 'pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12.5');
  });

  it('drops packages whose database a later layer deleted, and joins owned-file lists', () => {
    const owned: OwnedFilesFact[] = [
      {
        kind: 'owned-files',
        layer: layer(0),
        path: 'var/lib/dpkg/info/bash.list',
        ecosystem: 'deb',
        packageName: 'bash',
        files: ['bin/bash'],
      },
    ];
    const survivors = { layerOf: (path: string) => (path.startsWith('var/lib/dpkg') ? 0 : undefined) };
    const inventory = coalescePackages(
      [deb(0, 'bash', '5.2-1'), deb(0, 'x', '1', 'app/gone')],
      owned,
      survivors,
      undefined,
    );
    assert.deepEqual(
      inventory.map((pkg) => [pkg.name, pkg.files]),
      [['bash', ['bin/bash']]],
    );
  });

  it('takes licences from surviving copyright files when a later layer rewrote the database', () => {
    const licenses = [
      {
        kind: 'license' as const,
        layer: layer(0),
        path: 'usr/share/doc/bash/copyright',
        ecosystem: 'deb' as const,
        packageName: 'bash',
        licenses: ['GPL-3+'],
      },
    ];
    const inventory = coalescePackages(
      [deb(0, 'bash', '5.2-1'), deb(1, 'bash', '5.2-1'), deb(1, 'curl', '7.88-1')],
      [],
      { layerOf: (path: string) => (path.startsWith('usr/share/doc') ? 0 : 1) },
      undefined,
      licenses,
    );
    assert.deepEqual(
      inventory.map((pkg) => [pkg.name, pkg.licenses, pkg.layer.index]),
      [
        ['bash', ['GPL-3+'], 0],
        ['curl', [], 1],
      ],
    );
  });

  it('reads one rpm database when an image holds several', () => {
    const rpm = (path: string, version: string): PackageFact => ({
      kind: 'package',
      layer: layer(0),
      path,
      origin: 'installed',
      pkg: { ecosystem: 'rpm', name: 'bash', version, purl: `pkg:rpm/bash@${version}`, licenses: [] },
    });
    const inventory = coalescePackages(
      [rpm('var/lib/rpm/Packages', '4.4-1'), rpm('var/lib/rpm/rpmdb.sqlite', '5.1-2')],
      [],
      { layerOf: () => 0 },
      undefined,
    );
    assert.deepEqual(
      inventory.map((pkg) => pkg.version),
      ['5.1-2'],
    );
  });
});
