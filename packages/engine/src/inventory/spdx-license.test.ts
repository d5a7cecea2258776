import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combinedExpression, normaliseLicense } from './spdx-license.ts';

describe('normaliseLicense', () => {
  it('keeps valid expressions and corrects common declarations', () => {
    assert.deepEqual(normaliseLicense('MIT'), { kind: 'spdx', expression: 'MIT', declared: 'MIT' });
    assert.equal(normaliseLicense('(MIT OR Apache-2.0)').kind, 'spdx');
    const cases: [string, string][] = [
      ['GPL-2+', 'GPL-2.0-or-later'],
      ['LGPL-2.1+', 'LGPL-2.1-or-later'],
      ['Apache 2.0', 'Apache-2.0'],
      ['BSD-3-clause', 'BSD-3-Clause'],
      ['GPL-2+ or Artistic', 'GPL-2.0-or-later OR Artistic-1.0-Perl'],
    ];
    for (const [declared, expected] of cases) {
      const result = normaliseLicense(declared);
      assert.equal(result.kind, 'spdx', declared);
      if (result.kind === 'spdx') assert.equal(result.expression, expected, declared);
    }
  });

  it('leaves free text unknown and joins several licences with AND', () => {
    assert.equal(normaliseLicense('see LICENSE file in the distribution').kind, 'unknown');
    assert.deepEqual(combinedExpression(['MIT', 'Apache-2.0', 'MIT', 'custom thing']), {
      expression: 'MIT AND Apache-2.0',
      unknown: ['custom thing'],
    });
  });
});
