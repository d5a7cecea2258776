import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rubygemsScheme } from './scheme.ts';

describe('RubyGems scheme', () => {
  it('follows Gem::Version: trailing zeros, letters as pre-releases, - as .pre.', () => {
    assert.equal(rubygemsScheme.compare('1.0', '1.0.0'), 0);
    assert.equal(rubygemsScheme.compare('1.0.a2', '1.0.a.2'), 0);
    assert.equal(rubygemsScheme.compare('1.0-1', '1.0.pre.1'), 0);
    assert.equal(rubygemsScheme.compare(' 1.2 ', '1.2'), 0);
    assert.equal(rubygemsScheme.compare('1.01', '1.1'), 0);
    assert.ok(rubygemsScheme.compare('5.0.0.beta1', '5.0.0') < 0);
    assert.ok(rubygemsScheme.compare('5.0.0.beta1.1', '5.0.0.beta1') > 0);
    assert.ok(rubygemsScheme.compare('6.1.0.rc2', '6.1.0.RC2') > 0, 'letters compare case-sensitively');
    assert.ok(rubygemsScheme.compare('1.0.0.1', '1.0.0.a') > 0);
    assert.ok(rubygemsScheme.compare('1.0.0.a', '1.0') < 0);
    assert.ok(rubygemsScheme.compare('99999999999999999999999.1', '99999999999999999999999') > 0);
  });

  it('refuses what Gem::Version.correct? refuses, and the empty version', () => {
    for (const bad of [
      '',
      '   ',
      'a',
      '1..2',
      '1.2.',
      '1_2',
      '1.2-',
      '1.2 3',
      'v1.2',
      '1.0+build',
      '-1',
      '1a',
      '1beta',
    ]) {
      assert.ok(!rubygemsScheme.isValid(bad), JSON.stringify(bad));
    }
    for (const good of ['0', '1.2.3', '1.0.0.rc1', '1.0-beta', '1.0.0-rc.1', '1.a', '\t2.0\n', '1.0--1']) {
      assert.ok(rubygemsScheme.isValid(good), JSON.stringify(good));
    }
  });
});
