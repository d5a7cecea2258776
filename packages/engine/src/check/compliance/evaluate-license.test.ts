import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolvePolicy } from './compliance-policy.ts';
import { evaluateLicenses } from './evaluate-license.ts';

const defaults = resolvePolicy(undefined);

function judged(declared: readonly string[], policy = defaults) {
  const { category, verdict, deciding } = evaluateLicenses(declared, policy);
  return { category, verdict, deciding: deciding.map((term) => term.license) };
}

describe('evaluateLicenses', () => {
  it('OR: the package complies when any alternative does', () => {
    assert.deepEqual(judged(['AGPL-3.0-only OR MIT']), {
      category: 'notice',
      verdict: 'allowed',
      deciding: ['MIT'],
    });
    assert.deepEqual(judged(['GPL-2.0-or-later OR AGPL-3.0-only']), {
      category: 'restricted',
      verdict: 'restricted',
      deciding: ['GPL-2.0-or-later'],
    });
  });

  it('AND: every licence must comply, and the worst decides', () => {
    assert.deepEqual(judged(['MIT AND AGPL-3.0-only']), {
      category: 'forbidden',
      verdict: 'forbidden',
      deciding: ['AGPL-3.0-only'],
    });
    assert.deepEqual(judged(['(LGPLv3+ or GPLv2+) and GPLv3+']), {
      category: 'restricted',
      verdict: 'restricted',
      deciding: ['LGPL-3.0-or-later', 'GPL-3.0-or-later'],
    });
  });

  it('treats several declared licences as all applying', () => {
    assert.deepEqual(judged(['MIT', 'CC-BY-NC-4.0']), {
      category: 'forbidden',
      verdict: 'forbidden',
      deciding: ['CC-BY-NC-4.0'],
    });
  });

  it('makes an unreadable licence an unknown term of the AND', () => {
    const evaluation = evaluateLicenses(['MIT', 'see LICENSE.txt'], defaults);
    assert.equal(evaluation.expression, 'MIT');
    assert.deepEqual(evaluation.unreadable, ['see LICENSE.txt']);
    assert.equal(evaluation.category, 'unknown');
    assert.equal(evaluation.verdict, 'unknown');
    assert.deepEqual(judged(['MIT OR LicenseRef-ours']), {
      category: 'notice',
      verdict: 'allowed',
      deciding: ['MIT'],
    });
  });

  it('marks a package with no licence as undeclared', () => {
    const evaluation = evaluateLicenses(['', '  '], defaults);
    assert.equal(evaluation.undeclared, true);
    assert.equal(evaluation.category, 'unknown');
  });

  it('applies the deny list over categories and allow list, to both GNU variants when the id has no suffix', () => {
    const policy = resolvePolicy({ denyIds: ['GPL-3.0'], allowIds: ['AGPL-3.0-only', 'GPL-3.0-only'] });
    assert.equal(judged(['GPL-3.0-or-later'], policy).verdict, 'denied');
    assert.equal(judged(['GPLv3'], policy).verdict, 'denied');
    assert.equal(judged(['AGPL-3.0-only'], policy).verdict, 'allowed');
    assert.equal(judged(['AGPL-3.0-or-later'], policy).verdict, 'forbidden');
  });

  it("follows the policy's categories, unknown included", () => {
    const strict = resolvePolicy({
      forbiddenCategories: ['forbidden', 'restricted', 'unknown'],
      restrictedCategories: ['reciprocal'],
    });
    assert.equal(judged(['GPL-2.0-only'], strict).verdict, 'forbidden');
    assert.equal(judged(['MPL-2.0'], strict).verdict, 'restricted');
    assert.equal(judged(['see LICENSE.txt'], strict).verdict, 'forbidden');
    const lenient = resolvePolicy({ forbiddenCategories: [], restrictedCategories: [] });
    assert.equal(judged(['AGPL-3.0-only'], lenient).verdict, 'allowed');
  });
});
