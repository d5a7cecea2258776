import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { classifyLicense } from './classify-license.ts';
import { licenseCategoryTable, linkingExceptions } from './license-categories.ts';
import { parseSpdx } from './spdx-expression.ts';

const require = createRequire(import.meta.url);
const spdxIds = new Set<string>([
  ...(require('spdx-license-ids') as string[]),
  ...(require('spdx-license-ids/deprecated.json') as string[]),
]);

describe('licence classification table', () => {
  const entries = Object.entries(licenseCategoryTable).flatMap(([category, ids]) =>
    ids.map((id) => ({ category, id })),
  );

  it("names only SPDX licence ids (or the project's public-domain reference)", () => {
    const unknown = entries.filter(({ id }) => !spdxIds.has(id) && id !== 'LicenseRef-public-domain');
    assert.deepEqual(unknown, []);
  });

  it('puts each id in exactly one category', () => {
    const seen = new Map<string, string>();
    for (const { category, id } of entries) {
      assert.equal(seen.get(id), undefined, `${id} is in ${seen.get(id)} and ${category}`);
      seen.set(id, category);
    }
  });

  it('names only SPDX exceptions as linking exceptions', () => {
    for (const exception of linkingExceptions)
      assert.ok(parseSpdx(`GPL-2.0-only WITH ${exception}`), exception);
  });

  it('classifies both GNU variants and the deprecated spellings alike', () => {
    for (const license of ['GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-2.0', 'GPL-2.0+'])
      assert.equal(classifyLicense({ license }), 'restricted', license);
    assert.equal(classifyLicense({ license: 'AGPL-3.0-or-later' }), 'forbidden');
    assert.equal(classifyLicense({ license: 'Apache-2.0', plus: true }), 'notice');
  });

  it('weighs strong copyleft with a linking exception like file-level copyleft, and no other exception', () => {
    assert.equal(
      classifyLicense({ license: 'GPL-3.0-or-later', exception: 'GCC-exception-3.1' }),
      'reciprocal',
    );
    assert.equal(
      classifyLicense({ license: 'GPL-2.0-only', exception: 'Classpath-exception-2.0' }),
      'reciprocal',
    );
    assert.equal(
      classifyLicense({ license: 'GPL-2.0-only', exception: 'openvpn-openssl-exception' }),
      'restricted',
    );
    assert.equal(
      classifyLicense({ license: 'AGPL-3.0-only', exception: 'GPL-3.0-linking-exception' }),
      'forbidden',
    );
  });

  it('leaves ids the table does not list unknown', () => {
    assert.equal(classifyLicense({ license: 'Glide' }), 'unknown');
    assert.equal(classifyLicense({ license: 'LicenseRef-our-terms' }), 'unknown');
  });
});
