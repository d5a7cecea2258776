import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OsFact } from '../analyzer/fact.ts';
import { coalesceOs } from './coalesce-os.ts';

function fact(
  index: number,
  path: string,
  source: OsFact['source'],
  family: OsFact['os']['family'],
  versionId: string,
): OsFact {
  return {
    kind: 'os',
    layer: { index, digest: `sha256:${String(index).repeat(64)}`, diffId: undefined, createdBy: undefined },
    path,
    source,
    os: {
      family,
      id: family,
      name: family,
      versionId,
      versionCodename: undefined,
      prettyName: undefined,
      idLike: [],
    },
  };
}

describe('coalesceOs', () => {
  it('prefers os-release and refines Debian point releases', () => {
    const facts = [
      fact(0, 'usr/lib/os-release', 'os-release', 'debian', '12'),
      fact(0, 'etc/debian_version', 'debian_version', 'debian', '12.5'),
    ];
    const os = coalesceOs(facts, { layerOf: () => 0 });
    assert.equal(os?.versionId, '12.5');
    assert.equal(os?.path, 'usr/lib/os-release');
  });

  it('ignores facts whose file a later layer replaced or deleted', () => {
    const facts = [
      fact(0, 'etc/os-release', 'os-release', 'debian', '11'),
      fact(2, 'etc/os-release', 'os-release', 'ubuntu', '22.04'),
    ];
    assert.equal(coalesceOs(facts, { layerOf: () => 2 })?.family, 'ubuntu');
    assert.equal(coalesceOs(facts, { layerOf: () => undefined }), undefined);
  });

  it('takes the later of two entries of one path in one layer, as extraction would', () => {
    const facts = [
      fact(0, 'etc/os-release', 'os-release', 'alpine', '3.19.1'),
      fact(0, 'etc/os-release', 'os-release', 'debian', '12'),
    ];
    assert.equal(coalesceOs(facts, { layerOf: () => 0 })?.family, 'debian');
  });

  it('does not refine across families', () => {
    const facts = [
      fact(0, 'etc/os-release', 'os-release', 'ubuntu', '22.04'),
      fact(0, 'etc/debian_version', 'debian_version', 'debian', 'bookworm/sid'),
    ];
    assert.equal(coalesceOs(facts, { layerOf: () => 0 })?.versionId, '22.04');
  });
});
