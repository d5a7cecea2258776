import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { purlOf } from './purl.ts';

describe('purlOf', () => {
  it('writes spec-encoded purls', () => {
    assert.equal(
      purlOf({ type: 'npm', namespace: '@babel', name: 'core', version: '7.0.0' }),
      'pkg:npm/%40babel/core@7.0.0',
    );
    assert.equal(
      purlOf({
        type: 'deb',
        namespace: 'debian',
        name: 'libc6',
        version: '2.36-9+deb12u4',
        qualifiers: { arch: 'amd64', distro: '' },
      }),
      'pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64',
    );
  });

  it('never throws, even where the reference implementation refuses the input', () => {
    assert.match(
      purlOf({ type: 'golang', namespace: 'golang.org/x', name: 'net', version: 'v1.23' }),
      /^pkg:golang\/golang.org\/x\/net@v1.23$/,
    );
    assert.match(purlOf({ type: 'maven', name: 'artifact', version: '1.0' }), /^pkg:maven\/artifact@1.0$/);
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (type, namespace, name, version) => {
        assert.match(purlOf({ type: type || 'generic', namespace, name, version }), /^pkg:/);
      }),
      { numRuns: 500 },
    );
  });
});
