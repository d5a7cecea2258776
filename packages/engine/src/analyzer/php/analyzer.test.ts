import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Fact, PackageFact } from '../fact.ts';
import { composerInstalledAnalyzer, composerLockAnalyzer } from './analyzers.ts';

const layer = { index: 0, digest: 'sha256:' + '0'.repeat(64), diffId: undefined, createdBy: undefined };
const context = { layer, signal: new AbortController().signal };

async function run(
  analyzer: typeof composerLockAnalyzer,
  path: string,
  text: string,
): Promise<readonly Fact[]> {
  const content = Buffer.from(text);
  return analyzer.analyze({ path, size: content.length, mode: 0o100644, content }, context);
}

function packages(facts: readonly Fact[]): PackageFact[] {
  return facts.filter((fact): fact is PackageFact => fact.kind === 'package');
}

const monolog = {
  name: 'monolog/monolog',
  version: '2.9.1',
  version_normalized: '2.9.1.0',
  source: {
    type: 'git',
    url: 'https://github.com/Seldaek/monolog.git',
    reference: 'f259e2b15fb95494c83f52d3caad003bbf5ffaa1',
  },
  type: 'library',
  license: ['MIT'],
  'install-path': '../monolog/monolog',
};
const phpunit = {
  name: 'phpunit/phpunit',
  version: '9.6.13',
  license: ['BSD-3-Clause'],
  'install-path': '../phpunit/phpunit',
};

describe('composer-installed analyzer', () => {
  it('wants vendor/composer/installed.json', () => {
    assert.deepEqual(composerInstalledAnalyzer.wants.suffixes, ['vendor/composer/installed.json']);
  });

  it('reads Composer 2 installed.json, dev packages from dev-package-names', async () => {
    const text = JSON.stringify(
      { packages: [monolog, phpunit], dev: true, 'dev-package-names': ['phpunit/phpunit'] },
      null,
      4,
    );
    const facts = packages(
      await run(composerInstalledAnalyzer, 'var/www/html/vendor/composer/installed.json', text),
    );
    assert.deepEqual(
      facts.map((fact) => fact.pkg),
      [
        {
          ecosystem: 'composer',
          name: 'monolog/monolog',
          version: '2.9.1',
          purl: 'pkg:composer/monolog/monolog@2.9.1',
          licenses: ['MIT'],
        },
        {
          ecosystem: 'composer',
          name: 'phpunit/phpunit',
          version: '9.6.13',
          purl: 'pkg:composer/phpunit/phpunit@9.6.13',
          licenses: ['BSD-3-Clause'],
          dev: true,
        },
      ],
    );
    assert.equal(facts[0]?.origin, 'installed');
  });

  it('reads Composer 1 installed.json (an array)', async () => {
    const facts = packages(
      await run(composerInstalledAnalyzer, 'app/vendor/composer/installed.json', JSON.stringify([monolog])),
    );
    assert.deepEqual(
      facts.map((fact) => fact.pkg.purl),
      ['pkg:composer/monolog/monolog@2.9.1'],
    );
  });

  it('reports what is not JSON, or JSON of the wrong shape', async () => {
    for (const text of ['{', 'null', '"x"']) {
      const facts = await run(composerInstalledAnalyzer, 'vendor/composer/installed.json', text);
      assert.deepEqual(
        facts.map((fact) => fact.kind === 'diagnostic' && fact.code),
        ['parse_error'],
        text,
      );
    }
  });

  it('never throws on arbitrary JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.json({ maxDepth: 6 }), async (json) => {
        assert.ok(
          Array.isArray(await run(composerInstalledAnalyzer, 'vendor/composer/installed.json', json)),
        );
        assert.ok(Array.isArray(await run(composerLockAnalyzer, 'composer.lock', json)));
        const wrapped = `{"packages":[${json}],"packages-dev":${json}}`;
        assert.ok(Array.isArray(await run(composerLockAnalyzer, 'composer.lock', wrapped)));
      }),
      { numRuns: 1000 },
    );
  });
});
