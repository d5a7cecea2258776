import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { hasListedVersions, joinListedVersions, listsVersion } from './listed-versions.ts';

describe('listed versions', () => {
  it('a joined list names exactly its versions, never a part or a run of them', () => {
    const joined = joinListedVersions(['1.0', '1.0.1', '10.0', '2.0rc1']);
    assert.equal(joined, '1.0 1.0.1 10.0 2.0rc1');
    const entry = { joinedVersions: joined };
    for (const version of ['1.0', '1.0.1', '10.0', '2.0rc1'])
      assert.equal(listsVersion(entry, version), true);
    for (const version of ['1', '0', '0.1', '.0', '1.0 1.0.1', '2.0rc', '0rc1', '', ' ', '1.0 '])
      assert.equal(listsVersion(entry, version), false, version);
  });

  it('keeps the array when a version is empty or holds the separator', () => {
    assert.equal(joinListedVersions(['1.0', '']), undefined);
    assert.equal(joinListedVersions(['1.0', '2.0 beta']), undefined);
    assert.equal(joinListedVersions([]), '');
  });

  it('an empty list, in either form, lists nothing', () => {
    assert.equal(hasListedVersions({}), false);
    assert.equal(hasListedVersions({ versions: [] }), false);
    assert.equal(hasListedVersions({ joinedVersions: '' }), false);
    assert.equal(hasListedVersions({ joinedVersions: '1.0' }), true);
    assert.equal(hasListedVersions({ versions: [''] }), true);
    assert.equal(listsVersion({ joinedVersions: '' }, ''), false);
  });

  it('answers as the array does, for any list and any version', () => {
    const version = fc.oneof(
      fc.constantFrom('1', '1.0', '1.0.1', '0', '10', ''),
      fc.string({ unit: fc.constantFrom('1', '0', '.', ' ', 'a'), maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(version, { maxLength: 8 }), version, (versions, asked) => {
        const joined = joinListedVersions(versions);
        const entry = joined === undefined ? { versions } : { joinedVersions: joined };
        assert.equal(listsVersion(entry, asked), versions.includes(asked));
        assert.equal(hasListedVersions(entry), versions.length > 0);
      }),
      { numRuns: 2_000 },
    );
  });
});
