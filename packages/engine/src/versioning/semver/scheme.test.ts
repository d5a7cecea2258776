import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { semverScheme } from './scheme.ts';

describe('semver (npm) scheme', () => {
  it('ignores build metadata, accepts npm loose forms, puts invalid versions below valid ones', () => {
    assert.equal(semverScheme.compare('1.2.3+a', '1.2.3+b'), 0);
    assert.equal(semverScheme.compare('=1.2.3', ' v1.2.3 '), 0);
    assert.ok(semverScheme.compare('1.2.3beta', '1.2.3') < 0);
    assert.ok(semverScheme.compare('1.0.0-rc.2', '1.0.0-rc.10') < 0);
    assert.ok(semverScheme.compare('2.1.0-M1', '2.1.0-M2') < 0);
    for (const invalid of ['', '0', '1.2', '1.2.3.4', 'junk', '9007199254740992.0.0']) {
      assert.ok(!semverScheme.isValid(invalid), JSON.stringify(invalid));
    }
    assert.ok(semverScheme.compare('junk', '0.0.0-0') < 0);
    assert.equal(semverScheme.compare('junk', 'other junk'), 0);
  });
});
