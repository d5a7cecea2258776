import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeComposerVersion } from './normalize-composer-version.ts';
import { phpVersionCompare } from './php-version-compare.ts';
import { composerScheme } from './scheme.ts';

describe('Composer scheme', () => {
  it('normalises as Composer VersionParser::normalize (cases after composer/semver VersionParserTest, checked with Composer)', () => {
    const cases: [string, string | undefined][] = [
      ['1.0.0', '1.0.0.0'],
      ['1.2.3.4', '1.2.3.4'],
      ['1.0.0RC1dev', '1.0.0.0-RC1-dev'],
      ['1.0.0-rC15-dev', '1.0.0.0-RC15-dev'],
      ['1.0.0.RC.15-dev', '1.0.0.0-RC15-dev'],
      ['1.0.0-rc1', '1.0.0.0-RC1'],
      ['1.0.0.pl3-dev', '1.0.0.0-patch3-dev'],
      ['1.0-dev', '1.0.0.0-dev'],
      ['0', '0.0.0.0'],
      ['10.4.13-beta', '10.4.13.0-beta'],
      ['10.4.13beta2', '10.4.13.0-beta2'],
      ['10.4.13beta.2', '10.4.13.0-beta2'],
      ['v1.13.11-beta.0', '1.13.11.0-beta0'],
      ['1.13.11.0-beta0', '1.13.11.0-beta0'],
      ['10.4.13-b', '10.4.13.0-beta'],
      ['10.4.13-b5', '10.4.13.0-beta5'],
      ['v1.0.0', '1.0.0.0'],
      ['v20100102', '20100102'],
      ['2010.01', '2010.01.0.0'],
      ['2010.01.02', '2010.01.02.0'],
      ['2010.01.02', '2010.01.02.0'],
      ['2010-01-02.5', '2010.01.02.5'],
      ['20100102-203040', '20100102.203040'],
      ['20100102203040-10', '20100102203040.10'],
      ['20100102-203040-p1', '20100102.203040-patch1'],
      ['dev-master', 'dev-master'],
      ['master', 'dev-master'],
      ['dev-trunk', 'dev-trunk'],
      ['1.x-dev', '1.9999999.9999999.9999999-dev'],
      ['dev-feature-foo', 'dev-feature-foo'],
      ['DEV-FOOBAR', 'dev-FOOBAR'],
      ['dev-feature/foo', 'dev-feature/foo'],
      ['dev-feature+issue-1', 'dev-feature+issue-1'],
      ['dev-load-varnish-only-when-used as ^2.0', 'dev-load-varnish-only-when-used'],
      ['1.0.0+foo', '1.0.0.0'],
      ['1.0.0-rc1+foo', '1.0.0.0-RC1'],
      ['1.0.0+foo as 2.0', '1.0.0.0'],
      ['1.0.0-beta.5+foo', '1.0.0.0-beta5'],
      ['1.0.0@stable', '1.0.0.0'],
      ['  1.0.0', '1.0.0.0'],
      ['1.0.0  ', '1.0.0.0'],
      ['99999', '99999.0.0.0'],
      ['a', undefined],
      ['1.0.0-meh', undefined],
      ['1.0.0.0.0', undefined],
      ['feature-foo', undefined],
      ['1.0 .2', undefined],
      ['123456', '123456'],
      ['1.0.0+', undefined],
      ['1.0.0-SNAPSHOT', undefined],
      ['1.1.x', undefined],
      ['1.0.0-beta.x', undefined],
    ];
    assert.deepEqual(
      cases.map(([input]) => [input, normalizeComposerVersion(input)]),
      cases,
    );
  });

  it('compares as PHP version_compare (examples of the PHP manual and php-src tests)', () => {
    const cases: [string, string, number][] = [
      ['5.2', '5.2.0', -1],
      ['1.0rc1', '1.0', -1],
      ['1.0', '1.0.0', -1],
      ['1.0pl1', '1.0', 1],
      ['1.0-dev', '1.0a1', -1],
      ['1.0a1', '1.0b1', -1],
      ['1.0b1', '1.0RC1', -1],
      ['1.0RC1', '1.0rc1', 0],
      ['1.0-foo', '1.0-dev', -1],
      ['1.2.3.#', '1.2.3', -1],
      ['#1', '1', 0],
      ['1..0', '1.0', 0],
      ['', '', 0],
      ['', '0', -1],
      ['dev-foo', 'dev-bar', -1],
      ['1.0.0.0-dev', '1.0.0.0', -1],
      ['1.0.0.0-patch1', '1.0.0.0', 1],
    ];
    assert.deepEqual(
      cases.map(([a, b]) => [a, b, phpVersionCompare(a, b)]),
      cases,
    );
  });

  it('orders the Composer way: dev < alpha < beta < RC < stable < patch, v prefix ignored', () => {
    const increasing = [
      '1.0.0-dev',
      'v1.0.0-alpha1',
      '1.0.0-a2',
      '1.0.0-BETA',
      '1.0.0-b2',
      '1.0.0RC1',
      'v1.0',
      '1.0.0-p1',
      '1.0.0.1',
      '1.0.1',
    ];
    for (let i = 1; i < increasing.length; i++) {
      assert.ok(
        composerScheme.compare(increasing[i - 1] ?? '', increasing[i] ?? '') < 0,
        `${increasing[i - 1]} < ${increasing[i]}`,
      );
    }
    assert.equal(composerScheme.compare('V1.0.0', 'v1.0.0'), 0);
    assert.equal(composerScheme.compare('1.0.0+build', '1.0'), 0);
    assert.ok(composerScheme.compare('dev-foo', '1.26.0') < 0);
    assert.ok(!composerScheme.isValid(''));
  });
});
