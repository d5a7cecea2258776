import { describe } from 'node:test';
import { defineVectorSuite } from '../go-mod/test-vectors.ts';
import { composerLockAnalyzer } from './analyzers.ts';

describe('composer.lock test vectors', () => {
  defineVectorSuite({
    folder: 'osv-scalibr/php/composerlock',
    analyzer: composerLockAnalyzer,
    pathFor: () => 'app/composer.lock',
    withDev: true,
    exceptions: {},
  });
  defineVectorSuite({
    folder: 'trivy/php/composer',
    analyzer: composerLockAnalyzer,
    pathFor: () => 'app/composer.lock',
    withDev: true,
    withLicenses: true,
    exceptions: {
      'input/composer_happy.lock#happy path': {
        reason:
          'symfony/polyfill-php72 declares the licence string "MIT or BSD-2-Clause"; PackageRecord keeps licences ' +
          'as written, trivy splits the expression into ["MIT", "BSD-2-Clause"]',
        adjust: (expected) =>
          expected.map((pkg) =>
            pkg.name === 'symfony/polyfill-php72' ? { ...pkg, licenses: ['MIT or BSD-2-Clause'] } : pkg,
          ),
      },
    },
  });
});
