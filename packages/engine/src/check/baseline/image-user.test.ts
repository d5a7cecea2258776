import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nonRootUserCheck } from './image-user.ts';

describe('nonRootUserCheck (CIS 4.1)', () => {
  it('fails when USER is unset or names root by name or UID 0', () => {
    for (const user of [undefined, '', '  ', 'root', '0', '0:0', 'root:root', '0:1000', '000']) {
      const result = nonRootUserCheck(user);
      assert.equal(result.result, 'fail', `USER ${String(user)}`);
      assert.equal(result.evidence[0]?.location, 'config:user');
    }
    assert.equal(nonRootUserCheck(undefined).current, 'USER unset (runs as root)');
    assert.deepEqual(nonRootUserCheck('0:0').evidence, [{ location: 'config:user', detail: 'USER 0:0' }]);
  });

  it('passes for a named or numeric non-root user, whatever the group', () => {
    for (const user of ['node', '1000', '65532:65532', 'app:root', 'nobody', '10']) {
      const result = nonRootUserCheck(user);
      assert.equal(result.result, 'pass', `USER ${user}`);
      assert.deepEqual(result.evidence, []);
    }
    assert.equal(nonRootUserCheck('65532:65532').current, 'USER 65532:65532');
  });

  it('names the CIS section', () => {
    const result = nonRootUserCheck('root');
    assert.equal(result.id, 'cis-4.1-non-root-user');
    assert.equal(result.standard, 'CIS Docker Benchmark 1.6.0 §4.1');
    assert.equal(result.area, 'image-config');
  });
});
