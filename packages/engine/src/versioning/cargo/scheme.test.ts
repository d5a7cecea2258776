import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cargoScheme } from './scheme.ts';

describe('Cargo scheme', () => {
  it('takes numbers up to 2^64 - 1 and pre-release numbers of any size, as the semver crate does', () => {
    assert.ok(cargoScheme.isValid('18446744073709551615.0.0'));
    assert.ok(!cargoScheme.isValid('18446744073709551616.0.0'));
    assert.ok(cargoScheme.compare('90071992547409910.0.0', '90071992547409911.0.0') < 0);
    assert.ok(cargoScheme.compare('1.0.0-99999999999999999999999', '1.0.0-100000000000000000000000') < 0);
  });

  it('orders by semver precedence: pre-releases first, build metadata ignored', () => {
    assert.ok(cargoScheme.compare('0.3.0-beta.1', '0.3.0') < 0);
    assert.ok(cargoScheme.compare('1.0.0-alpha.1', '1.0.0-alpha.beta') < 0);
    assert.ok(cargoScheme.compare('0.0.0-0', '0.0.1-0') < 0);
    assert.equal(cargoScheme.compare('1.0.0+a', '1.0.0+b'), 0);
  });

  it('refuses what the semver crate refuses', () => {
    for (const bad of [
      '',
      '1',
      '1.2',
      '01.2.3',
      '1.02.3',
      '1.2.03',
      'v1.2.3',
      '=1.2.3',
      ' 1.2.3',
      '1.2.3 ',
      '1.2.3-',
      '1.2.3-01',
      '1.2.3-a..b',
      '1.2.3+',
      '1.2.3+a..b',
      '1.2.3-a_b',
      '1.2.3.4',
    ]) {
      assert.ok(!cargoScheme.isValid(bad), JSON.stringify(bad));
    }
    for (const good of ['0.0.0', '1.2.3-0', '1.2.3-0a', '1.2.3+001', '1.2.3-alpha-.-beta', '1.2.3--']) {
      assert.ok(cargoScheme.isValid(good), good);
    }
  });
});
