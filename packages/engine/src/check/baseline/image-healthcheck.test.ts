import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSecretRules } from '../../analyzer/secret/rule-set.ts';
import { fake } from '../../analyzer/secret/rule-vectors.ts';
import { healthcheckCheck } from './image-healthcheck.ts';

const rules = compileSecretRules();

describe('healthcheckCheck (CIS 4.6)', () => {
  it('fails without a HEALTHCHECK and with HEALTHCHECK NONE', () => {
    const missing = healthcheckCheck(undefined, rules);
    assert.equal(missing.result, 'fail');
    assert.deepEqual(missing.evidence, [{ location: 'config:healthcheck', detail: 'HEALTHCHECK unset' }]);
    const none = healthcheckCheck({ test: ['NONE'] }, rules);
    assert.equal(none.result, 'fail');
    assert.equal(none.current, 'HEALTHCHECK NONE');
  });

  it('passes with a command', () => {
    const result = healthcheckCheck({ test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] }, rules);
    assert.equal(result.result, 'pass');
    assert.equal(result.current, 'HEALTHCHECK CMD-SHELL curl -f http://localhost/ || exit 1');
    assert.deepEqual(result.evidence, []);
  });

  it('masks credentials written in the probe', () => {
    const password = fake('b62', 18);
    const result = healthcheckCheck(
      { test: ['CMD', 'curl', '-f', `https://admin:${password}@localhost/health`] },
      rules,
    );
    assert.equal(result.result, 'pass');
    assert.ok(!result.current?.includes(password), result.current);
    assert.ok(result.current?.startsWith('HEALTHCHECK CMD curl -f https://admin:'));
  });
});
