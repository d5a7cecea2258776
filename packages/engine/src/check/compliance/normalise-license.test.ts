import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseLicense } from './normalise-license.ts';

/** Declared licences as the real databases in ../shared/testvectors write them, and their SPDX form. */
const corrected: readonly (readonly [string, string])[] = [
  // Valid SPDX passes in canonical form (operators upper case, current GNU ids).
  ['MIT', 'MIT'],
  ['BSD-3-Clause or GPL-2.0', 'BSD-3-Clause OR GPL-2.0-only'],
  ['GPL-2.0+ AND LGPL-2.1+', 'GPL-2.0-or-later AND LGPL-2.1-or-later'],
  ['( Apache-2.0 OR MIT ) AND MPL-2.0', '(Apache-2.0 OR MIT) AND MPL-2.0'],
  ['GPL-3.0-or-later WITH GCC-exception-3.1', 'GPL-3.0-or-later WITH GCC-exception-3.1'],
  ['GPL-2.0-with-classpath-exception', 'GPL-2.0-only WITH Classpath-exception-2.0'],
  // Fedora / CBL-Mariner legacy names.
  ['GPLv2+', 'GPL-2.0-or-later'],
  ['GPLv3', 'GPL-3.0-only'],
  ['LGPLv2.1 AND GPLv2', 'LGPL-2.1-only AND GPL-2.0-only'],
  ['GPL+ AND MIT', 'GPL-1.0-or-later AND MIT'],
  ['ASL 2.0', 'Apache-2.0'],
  ['MPLv2.0', 'MPL-2.0'],
  ['(LGPLv3+ or GPLv2+) and GPLv3+', '(LGPL-3.0-or-later OR GPL-2.0-or-later) AND GPL-3.0-or-later'],
  ['GPLv3+ AND (GPLv2+ OR LGPLv3+)', 'GPL-3.0-or-later AND (GPL-2.0-or-later OR LGPL-3.0-or-later)'],
  [
    'BSD AND Public Domain AND (ASL 2.0 OR CC0 1.0 OR OpenSSL)',
    'BSD-2-Clause AND LicenseRef-public-domain AND (Apache-2.0 OR CC0-1.0 OR OpenSSL)',
  ],
  ['BSD 2-Clause and GPLv2', 'BSD-2-Clause AND GPL-2.0-only'],
  ['OpenLDAP', 'OLDAP-2.8'],
  ['PSF', 'PSF-2.0'],
  ['zlib', 'Zlib'],
  // An exception SPDX does not name is dropped: the licence alone is the stricter reading.
  ['GPLv2+ WITH exceptions', 'GPL-2.0-or-later'],
  // Alpine: GPL2, a bare GPL, and a space-separated list of licences that all apply.
  ['GPL2', 'GPL-2.0-only'],
  ['GPL', 'GPL-1.0-or-later'],
  ['MIT BSD GPL2+', 'MIT AND BSD-2-Clause AND GPL-2.0-or-later'],
  ['openssl', 'OpenSSL'],
  ['Public-Domain', 'LicenseRef-public-domain'],
  // SUSE names.
  ['SUSE-Public-Domain', 'LicenseRef-public-domain'],
  [
    'LGPL-2.1-or-later AND BSD-2-Clause AND BSD-3-Clause AND SUSE-Public-Domain',
    'LGPL-2.1-or-later AND BSD-2-Clause AND BSD-3-Clause AND LicenseRef-public-domain',
  ],
  // Debian copyright-format short names and npm's legacy spellings.
  ['GPL-2+', 'GPL-2.0-or-later'],
  ['Expat', 'MIT'],
  ['MIT/X11', 'MIT'],
  ['Apache2', 'Apache-2.0'],
  ['gnu general public license', 'GPL-1.0-or-later'],
  // spdx-correct's guess for Debian's name of Nmap's GPL-2 variant (the nmap package's copyright).
  ['nmap-GPL-2', 'GPL-2.0-only'],
];

describe('normaliseLicense', () => {
  for (const [declared, expression] of corrected) {
    it(`${declared} → ${expression}`, () => {
      assert.deepEqual(normaliseLicense(declared), { kind: 'spdx', expression, declared });
    });
  }

  it('keeps what cannot be read as SPDX as unknown, with the original text', () => {
    for (const declared of ['see LICENSE.txt', 'Proprietary and confidential', '   ', 'GPLv9+'])
      assert.deepEqual(normaliseLicense(declared), { kind: 'unknown', declared });
  });

  it('leaves an operand-by-operand rewrite unknown when any operand is unreadable', () => {
    assert.equal(normaliseLicense('MIT and Our-Own-Terms-1.0').kind, 'unknown');
  });
});
