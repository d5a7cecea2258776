import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { finding, npmFinding } from './filter-findings-fixtures.ts';
import { SuppressionFileError } from './suppressions-error.ts';
import { invalid } from './suppressions-fixtures.ts';
import {
  ignoreEntryMatches,
  isExpired,
  loadIgnoreFile,
  parseIgnoreFile,
} from './suppressions-ignore-file.ts';

describe('ignore file parsing', () => {
  it('reads entries with every field, YAML 1.2 dates as text and YAML 1.1 dates as Date', () => {
    const file = parseIgnoreFile(
      [
        '# accepted risks',
        '- id: CVE-2024-0727',
        '  package: openssl',
        '  path: /lib/apk/db/installed',
        '  reason: not reachable from our code',
        '  expires: 2024-12-31',
        '- id: GHSA-35jh-r3h4-6jhm',
        '  reason: template() is never called',
      ].join('\n'),
      '.drydockignore',
    );
    assert.deepEqual(file.entries, [
      {
        id: 'CVE-2024-0727',
        package: 'openssl',
        path: '/lib/apk/db/installed',
        reason: 'not reachable from our code',
        expires: '2024-12-31',
      },
      { id: 'GHSA-35jh-r3h4-6jhm', reason: 'template() is never called' },
    ]);
    const yaml11 = parseIgnoreFile('%YAML 1.1\n---\n- id: CVE-1\n  reason: r\n  expires: 2025-01-02\n', 'f');
    assert.equal(yaml11.entries[0]?.expires, '2025-01-02');
  });

  it('treats an empty file (or only comments) as no entries', () => {
    assert.deepEqual(parseIgnoreFile('', 'f').entries, []);
    assert.deepEqual(parseIgnoreFile('# nothing ignored yet\n', 'f').entries, []);
  });

  it('rejects bad files with typed errors that name the line and field', () => {
    const syntax = invalid(() => parseIgnoreFile('- id: [\n', '.drydockignore'), 'invalid_ignore_file');
    assert.equal(syntax.source, '.drydockignore');
    assert.ok(syntax.issues.length > 0);

    const missingReason = invalid(
      () => parseIgnoreFile('- id: CVE-1\n  reason: ok\n- id: CVE-2\n  package: zlib\n', 'f'),
      'invalid_ignore_file',
    );
    assert.ok(
      missingReason.issues.some((issue) => /line 3, entry 2 reason/.test(issue)),
      missingReason.issues.join('\n'),
    );

    const typo = invalid(
      () => parseIgnoreFile('- id: CVE-1\n  reason: r\n  expiry: 2024-01-01\n', 'f'),
      'invalid_ignore_file',
    );
    assert.ok(
      typo.issues.some((issue) => issue.includes('expiry')),
      typo.issues.join('\n'),
    );

    const badDate = invalid(
      () => parseIgnoreFile('- id: CVE-1\n  reason: r\n  expires: 2024-02-30\n', 'f'),
      'invalid_ignore_file',
    );
    assert.ok(
      badDate.issues.some((issue) => /line 3, entry 1 expires: must be a date/.test(issue)),
      badDate.issues.join('\n'),
    );

    invalid(() => parseIgnoreFile('id: CVE-1\nreason: r\n', 'f'), 'invalid_ignore_file');
    invalid(() => parseIgnoreFile('- id: 12345\n  reason: r\n', 'f'), 'invalid_ignore_file');
    invalid(() => parseIgnoreFile('- id: " "\n  reason: r\n', 'f'), 'invalid_ignore_file');
  });

  it('reports a file that cannot be read as unreadable', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'drydock-ignore-'));
    try {
      await assert.rejects(loadIgnoreFile(join(directory, 'missing.yaml')), (error: unknown) => {
        assert.ok(error instanceof SuppressionFileError);
        assert.equal(error.code, 'suppression_file_unreadable');
        return true;
      });
      const path = join(directory, '.drydockignore');
      await writeFile(path, '- id: CVE-1\n  reason: r\n');
      assert.equal((await loadIgnoreFile(path)).entries.length, 1);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe('ignore entry matching', () => {
  const openssl = finding();
  const lodash = npmFinding();

  it('matches the advisory id or any alias, in any case', () => {
    assert.ok(ignoreEntryMatches({ id: 'ALPINE-CVE-2024-0727', reason: 'r' }, openssl));
    assert.ok(ignoreEntryMatches({ id: 'CVE-2024-0727', reason: 'r' }, openssl));
    assert.ok(ignoreEntryMatches({ id: 'ghsa-35jh-r3h4-6jhm', reason: 'r' }, lodash));
    assert.ok(!ignoreEntryMatches({ id: 'CVE-2024-0728', reason: 'r' }, openssl));
  });

  it('narrows by package name, binary or source', () => {
    assert.ok(ignoreEntryMatches({ id: 'CVE-2024-0727', package: 'libcrypto3', reason: 'r' }, openssl));
    assert.ok(ignoreEntryMatches({ id: 'CVE-2024-0727', package: 'openssl', reason: 'r' }, openssl));
    assert.ok(!ignoreEntryMatches({ id: 'CVE-2024-0727', package: 'libssl3', reason: 'r' }, openssl));
  });

  it('narrows by path: exact, with or without a leading slash, globs, and parent directories', () => {
    const at = (path: string) => ignoreEntryMatches({ id: 'CVE-2021-23337', path, reason: 'r' }, lodash);
    assert.ok(at('app/node_modules/lodash/package.json'));
    assert.ok(at('/app/node_modules/lodash/package.json'));
    assert.ok(at('./app/node_modules/lodash/package.json'));
    assert.ok(at('app/node_modules/**'));
    assert.ok(at('**/lodash/*.json'));
    assert.ok(at('app/node_modules/lodash'));
    assert.ok(at('/app/'));
    assert.ok(at('app/*/lodash'));
    assert.ok(!at('app/node_modules/lodash-es/**'));
    assert.ok(!at('srv/**'));
    assert.ok(!at('app/node_modules/*.json'));
    assert.ok(!at('app/node'));
  });

  it('expires on its expiry day (UTC)', () => {
    const entry = { id: 'CVE-1', reason: 'r', expires: '2024-06-15' };
    assert.equal(isExpired(entry, '2024-06-14'), false);
    assert.equal(isExpired(entry, '2024-06-15'), true);
    assert.equal(isExpired(entry, '2024-06-16'), true);
    assert.equal(isExpired({ id: 'CVE-1', reason: 'r' }, '2999-01-01'), false);
  });
});
