import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goScheme } from './scheme.ts';

describe('Go scheme', () => {
  it('ignores +incompatible and orders pseudo-versions where the go command puts them', () => {
    assert.equal(goScheme.compare('v2.0.0+incompatible', 'v2.0.0'), 0);
    assert.equal(goScheme.compare('2.7.0-rc.0+incompatible', 'v2.7.0-rc.0'), 0);
    const increasing = [
      '0.0.0-20160722212129-ac0cc4484ad4',
      'v0.0.0-20200131131040-063a3fb69896',
      '0.1.0',
      'v1.2.3-pre',
      'v1.2.3-pre.0.20191109021931-daa7c04131f5',
      '1.2.3',
      'v1.2.4-0.20191109021931-daa7c04131f5',
      '1.2.4-alpha',
      'v1.2.4',
      '2.1.1-0.20170519163204-f913f5f9c7c6+incompatible',
      'v2.1.1',
    ];
    for (let i = 1; i < increasing.length; i++) {
      const [a = '', b = ''] = [increasing[i - 1], increasing[i]];
      assert.ok(goScheme.compare(a, b) < 0, `${a} < ${b}`);
      assert.ok(goScheme.compare(b, a) > 0, `${b} > ${a}`);
    }
  });

  it('reads OSV spellings without the v, shorthands, and refuses what x/mod refuses', () => {
    assert.ok(goScheme.isValid('0'));
    assert.equal(goScheme.compare('0', 'v0.0.0'), 0);
    assert.equal(goScheme.compare('v1.2', '1.2.0'), 0);
    assert.ok(goScheme.compare('99999999999999999999.0.0', '99999999999999999998.9.9') > 0);
    for (const bad of [
      '',
      'v',
      'V1.2.3',
      '1.2.3-01',
      '01.2.3',
      '1.2-pre',
      '1.2.3+',
      '1.2.3-',
      'vv1.2.3',
      ' 1.2.3',
      '1.2.3.4',
    ]) {
      assert.ok(!goScheme.isValid(bad), JSON.stringify(bad));
    }
  });
});
