import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nugetScheme } from './scheme.ts';

describe('NuGet scheme', () => {
  it('pads to four numbers, ignores metadata and compares labels case-insensitively', () => {
    assert.equal(nugetScheme.compare('1', '1.0.0.0'), 0);
    assert.equal(nugetScheme.compare('1.0.01', '1.0.1'), 0);
    assert.equal(nugetScheme.compare('1.0.0-Beta+A', '1.0.0-bEtA+b'), 0);
    assert.ok(nugetScheme.compare('1.0.0.1', '1.0.0') > 0);
    assert.ok(nugetScheme.compare('1.0.0.1-alpha', '1.0.0') > 0);
    assert.ok(nugetScheme.compare('1.0.0-rc.2', '1.0.0-rc.10') < 0);
    assert.ok(nugetScheme.compare('1.0.0-1', '1.0.0-a') < 0, 'numeric labels before text');
    assert.ok(nugetScheme.compare('1.0.0-a', '1.0.0-a.1') < 0);
    assert.ok(nugetScheme.compare('1.0.0-9999999999', '1.0.0-a') < 0, 'a label beyond Int32 is text');
    assert.ok(nugetScheme.compare('1.0.0--1', '1.0.0-0') < 0, 'int.TryParse reads "-1" as a number');
  });

  it('accepts and rejects as NuGetVersion.TryParse does', () => {
    for (const good of [
      '1',
      '1.2',
      '1.2.3',
      '1.2.3.4',
      ' 1.2.3 ',
      '01.002',
      '1.0.0-alpha.1+build.01',
      '1.0+meta-data',
      '1.0.0-a-b',
      '1. 2',
    ]) {
      assert.ok(nugetScheme.isValid(good), JSON.stringify(good));
    }
    for (const bad of [
      '',
      ' ',
      '1.2.3.4.5',
      '1.',
      '.1',
      'v1.0',
      '1.0-',
      '1.0+',
      '1.0-a+',
      '1.0-+b',
      '1.0-01',
      '1.0-a..b',
      '1.0+a..b',
      '1.0-a_b',
      '2147483648.0',
      '-1',
      'a.b',
    ]) {
      assert.ok(!nugetScheme.isValid(bad), JSON.stringify(bad));
    }
    assert.ok(nugetScheme.isValid('2147483647.0'));
  });
});
