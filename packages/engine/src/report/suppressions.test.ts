import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { finding, imageWith, npmFinding, reportWith } from './filter-findings-fixtures.ts';
import { SuppressionFileError } from './suppressions-error.ts';
import { imageIdentity } from './suppressions-image-identity.ts';
import {
  ignoreEntryMatches,
  isExpired,
  loadIgnoreFile,
  parseIgnoreFile,
} from './suppressions-ignore-file.ts';
import { purlMatches } from './suppressions-purl.ts';
import {
  loadVexDocument,
  noImageIdentity,
  parseVexDocument,
  type ImageIdentity,
} from './suppressions-vex.ts';
import { applySuppressions, noSuppressionRules, type SuppressionRules } from './suppressions.ts';

const june = new Date('2024-06-15T10:00:00Z');

function invalid(run: () => unknown, code: SuppressionFileError['code']): SuppressionFileError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof SuppressionFileError, `expected a SuppressionFileError, got ${String(caught)}`);
  assert.equal(caught.code, code);
  return caught;
}

function vex(statements: readonly Record<string, unknown>[], timestamp = '2024-05-01T00:00:00Z'): string {
  return JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://example.com/vex/1',
    author: 'Example Security <security@example.com>',
    timestamp,
    version: 1,
    statements,
  });
}

function rules(partial: Partial<SuppressionRules>): SuppressionRules {
  return { ...noSuppressionRules, ...partial };
}

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

describe('applySuppressions with an ignore file', () => {
  const findings = [
    finding(),
    npmFinding(),
    finding({ id: 'ALPINE-CVE-2023-5678', aliases: ['CVE-2023-5678'] }),
  ];

  it('suppresses matching findings with the reason and the file, keeps the others in order', () => {
    const ignoreFile = parseIgnoreFile(
      '- id: CVE-2021-23337\n  path: app/**\n  reason: template() is never called\n  expires: 2024-07-01\n',
      '/work/.drydockignore',
    );
    const result = applySuppressions(findings, rules({ ignoreFiles: [ignoreFile] }), {
      now: june,
      image: noImageIdentity,
    });
    assert.deepEqual(
      result.kept.map((kept) => kept.id),
      ['ALPINE-CVE-2024-0727', 'ALPINE-CVE-2023-5678'],
    );
    assert.equal(result.suppressed.length, 1);
    assert.deepEqual(result.suppressed[0], {
      finding: findings[1],
      by: 'ignore-file',
      reason: 'template() is never called',
      source: '/work/.drydockignore',
      rule: { id: 'CVE-2021-23337', path: 'app/**', expires: '2024-07-01' },
    });
    assert.deepEqual(result.expired, []);
  });

  it('stops applying expired entries and reports them with the findings they would have covered', () => {
    const ignoreFile = parseIgnoreFile(
      [
        '- id: CVE-2024-0727',
        '  reason: old decision',
        '  expires: 2024-06-15',
        '- id: CVE-2023-5678',
        '  reason: still accepted',
        '  expires: 2024-06-16',
        '- id: CVE-1999-0001',
        '  reason: long gone',
        '  expires: 2020-01-01',
      ].join('\n'),
      '.drydockignore',
    );
    const result = applySuppressions(findings, rules({ ignoreFiles: [ignoreFile] }), {
      now: june,
      image: noImageIdentity,
    });
    assert.deepEqual(
      result.kept.map((kept) => kept.id),
      ['ALPINE-CVE-2024-0727', 'GHSA-35jh-r3h4-6jhm'],
    );
    assert.deepEqual(
      result.suppressed.map((entry) => entry.finding.id),
      ['ALPINE-CVE-2023-5678'],
    );
    assert.deepEqual(
      result.expired.map(({ entry, findings: count }) => [entry.id, count]),
      [
        ['CVE-2024-0727', 1],
        ['CVE-1999-0001', 0],
      ],
    );
  });

  it('uses the first matching entry of the first file', () => {
    const first = parseIgnoreFile('- id: CVE-2024-0727\n  reason: first\n', 'a');
    const second = parseIgnoreFile('- id: ALPINE-CVE-2024-0727\n  reason: second\n', 'b');
    const result = applySuppressions([finding()], rules({ ignoreFiles: [first, second] }), {
      now: june,
      image: noImageIdentity,
    });
    assert.equal(result.suppressed[0]?.reason, 'first');
    assert.equal(result.suppressed[0]?.source, 'a');
  });
});

describe('purl matching (OpenVEX v0.2.0 rules)', () => {
  const installed = 'pkg:apk/alpine/libcrypto3@3.1.4-r0?arch=x86_64&distro=alpine-3.19.0';

  it('matches without a version any version, and with one only that version', () => {
    assert.ok(purlMatches('pkg:apk/alpine/libcrypto3', installed));
    assert.ok(purlMatches('pkg:apk/alpine/libcrypto3@3.1.4-r0', installed));
    assert.ok(!purlMatches('pkg:apk/alpine/libcrypto3@3.1.4-r5', installed));
  });

  it('needs every qualifier of the pattern, ignores the candidate extra ones', () => {
    assert.ok(purlMatches('pkg:apk/alpine/libcrypto3@3.1.4-r0?arch=x86_64', installed));
    assert.ok(purlMatches('pkg:apk/alpine/libcrypto3?distro=alpine-3.19.0&arch=x86_64', installed));
    assert.ok(!purlMatches('pkg:apk/alpine/libcrypto3@3.1.4-r0?arch=aarch64', installed));
    assert.ok(!purlMatches('pkg:apk/alpine/libcrypto3?repository_url=https://example.com', installed));
    assert.ok(!purlMatches(installed, 'pkg:apk/alpine/libcrypto3@3.1.4-r0'));
  });

  it('compares type, namespace and name after normalisation and decoding', () => {
    assert.ok(
      purlMatches('pkg:deb/debian/libc6@2.36-9+deb12u4', 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64'),
    );
    assert.ok(purlMatches('pkg:npm/@babel/core', 'pkg:npm/%40babel/core@7.24.0'));
    assert.ok(purlMatches('pkg:pypi/Foo_Bar', 'pkg:pypi/foo-bar@1.0'));
    assert.ok(!purlMatches('pkg:deb/ubuntu/libc6', 'pkg:deb/debian/libc6@2.36'));
    assert.ok(!purlMatches('pkg:npm/core', 'pkg:npm/%40babel/core@7.24.0'));
    assert.ok(!purlMatches('pkg:apk/alpine/libcrypto', installed));
    assert.ok(!purlMatches('pkg:rpm/alpine/libcrypto3', installed));
  });

  it('names nothing with an identifier that is not a purl', () => {
    assert.ok(!purlMatches('cpe:2.3:a:openssl:openssl:3.1.4', installed));
    assert.ok(!purlMatches('pkg:', installed));
  });
});

describe('OpenVEX documents', () => {
  it('parse v0.2.0 with vulnerability objects, product identifiers and subcomponents', () => {
    const document = parseVexDocument(
      vex([
        {
          vulnerability: {
            '@id': 'https://nvd.nist.gov/vuln/detail/CVE-2024-0727',
            name: 'CVE-2024-0727',
            aliases: ['GHSA-9v9h-cgj8-h64p'],
          },
          timestamp: '2024-05-02T00:00:00Z',
          products: [
            {
              '@id': 'pkg:oci/app?repository_url=registry.example:5000/team/app',
              identifiers: { purl: 'pkg:oci/app@sha256:1111' },
              subcomponents: [
                { '@id': 'pkg:apk/alpine/libcrypto3' },
                { identifiers: { cpe23: 'cpe:2.3:a:openssl:openssl:*' } },
              ],
            },
          ],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
          impact_statement: 'PKCS12 files are never parsed',
        },
        {
          vulnerability: { name: 'CVE-2021-23337' },
          products: [{ '@id': 'pkg:npm/lodash' }],
          status: 'affected',
          action_statement: 'upgrade',
        },
      ]),
      'app.openvex.json',
    );
    assert.equal(document.id, 'https://example.com/vex/1');
    const [first, second] = document.statements;
    assert.deepEqual(first?.vulnerabilities, [
      'CVE-2024-0727',
      'HTTPS://NVD.NIST.GOV/VULN/DETAIL/CVE-2024-0727',
      'GHSA-9V9H-CGJ8-H64P',
    ]);
    assert.deepEqual(first?.products, [
      {
        purls: ['pkg:oci/app?repository_url=registry.example:5000/team/app', 'pkg:oci/app@sha256:1111'],
        subcomponents: [['pkg:apk/alpine/libcrypto3'], []],
      },
    ]);
    assert.equal(first?.timestamp, '2024-05-02T00:00:00Z');
    assert.equal(second?.timestamp, '2024-05-01T00:00:00Z', 'inherits the document timestamp');
    assert.equal(second?.source, 'app.openvex.json');
  });

  it('parse the v0.0.1 shape (strings for vulnerability, products and subcomponents)', () => {
    const document = parseVexDocument(
      JSON.stringify({
        '@context': 'https://openvex.dev/ns',
        '@id': 'https://openvex.dev/docs/public/vex-1',
        author: 'someone',
        timestamp: '2023-01-16T19:07:16Z',
        version: '1',
        statements: [
          {
            vulnerability: 'CVE-2024-0727',
            products: ['pkg:oci/app@sha256:1111'],
            subcomponents: ['pkg:apk/alpine/libcrypto3'],
            status: 'fixed',
          },
        ],
      }),
      'old.json',
    );
    assert.deepEqual(document.statements[0]?.products, [
      { purls: ['pkg:oci/app@sha256:1111'], subcomponents: [['pkg:apk/alpine/libcrypto3']] },
    ]);
  });

  it('reject invalid documents as a whole, with typed errors', () => {
    invalid(() => parseVexDocument('{', 'x.json'), 'invalid_vex_document');
    invalid(() => parseVexDocument(JSON.stringify({ statements: [] }), 'x.json'), 'invalid_vex_document');
    const noJustification = invalid(
      () =>
        parseVexDocument(
          vex([
            { vulnerability: { name: 'CVE-1' }, products: [{ '@id': 'pkg:npm/a' }], status: 'not_affected' },
          ]),
          'x.json',
        ),
      'invalid_vex_document',
    );
    assert.ok(
      noJustification.issues.some((issue) => issue.includes('justification')),
      noJustification.issues.join('\n'),
    );
    invalid(
      () =>
        parseVexDocument(
          vex([
            {
              vulnerability: { name: 'CVE-1' },
              products: [{ '@id': 'pkg:npm/a' }],
              status: 'not_affected',
              justification: 'because',
            },
          ]),
          'x.json',
        ),
      'invalid_vex_document',
    );
    invalid(
      () => parseVexDocument(vex([{ vulnerability: { name: 'CVE-1' }, status: 'fixed' }]), 'x.json'),
      'invalid_vex_document',
    );
    invalid(
      () =>
        parseVexDocument(
          vex([{ vulnerability: { name: 'CVE-1' }, products: [{ '@id': 'pkg:npm/a' }], status: 'gone' }]),
          'x.json',
        ),
      'invalid_vex_document',
    );
    invalid(
      () =>
        parseVexDocument(
          JSON.stringify({
            '@context': 'https://cyclonedx.org',
            '@id': 'x',
            author: 'a',
            timestamp: '2024-01-01T00:00:00Z',
            version: 1,
            statements: [],
          }),
          'x.json',
        ),
      'invalid_vex_document',
    );
  });

  it('report a document that cannot be read as unreadable', async () => {
    await assert.rejects(loadVexDocument(join(tmpdir(), 'drydock-no-such-vex.json')), (error: unknown) => {
      assert.ok(error instanceof SuppressionFileError);
      assert.equal(error.code, 'suppression_file_unreadable');
      return true;
    });
  });
});

describe('applySuppressions with VEX', () => {
  const openssl = finding();
  const lodash = npmFinding();
  const image: ImageIdentity = imageIdentity(
    reportWith([imageWith([openssl, lodash])]),
    imageWith([openssl, lodash]),
  );

  function apply(
    statements: readonly Record<string, unknown>[],
    findings = [openssl, lodash],
    identity = image,
  ) {
    const document = parseVexDocument(vex(statements), 'vex.json');
    return applySuppressions(findings, rules({ vexDocuments: [document] }), { now: june, image: identity });
  }

  it('suppresses not_affected with its justification and impact statement, matched by alias and versionless purl', () => {
    const result = apply([
      {
        vulnerability: { name: 'CVE-2021-23337' },
        products: [{ '@id': 'pkg:npm/lodash' }],
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        impact_statement: 'template() is never called',
      },
    ]);
    assert.deepEqual(
      result.kept.map((kept) => kept.id),
      ['ALPINE-CVE-2024-0727'],
    );
    assert.deepEqual(result.suppressed, [
      {
        finding: lodash,
        by: 'vex',
        reason: 'vulnerable_code_not_in_execute_path: template() is never called',
        source: 'vex.json',
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        impactStatement: 'template() is never called',
        document: 'https://example.com/vex/1',
        timestamp: '2024-05-01T00:00:00Z',
      },
    ]);
  });

  it('matches by the advisory id, by a VEX alias, and by products with qualifiers', () => {
    const byId = apply([
      {
        vulnerability: { name: 'ALPINE-CVE-2024-0727' },
        products: [{ '@id': 'pkg:apk/alpine/libcrypto3@3.1.4-r0?arch=x86_64' }],
        status: 'fixed',
      },
    ]);
    assert.deepEqual(
      byId.suppressed.map((entry) => [entry.finding.id, entry.reason]),
      [['ALPINE-CVE-2024-0727', 'fixed']],
    );
    const byVexAlias = apply([
      {
        vulnerability: { name: 'OSV-2024-1', aliases: ['CVE-2024-0727'] },
        products: [{ identifiers: { purl: 'pkg:apk/alpine/libcrypto3' } }],
        status: 'not_affected',
        justification: 'component_not_present',
      },
    ]);
    assert.equal(byVexAlias.suppressed.length, 1);
    const otherArch = apply([
      {
        vulnerability: { name: 'CVE-2024-0727' },
        products: [{ '@id': 'pkg:apk/alpine/libcrypto3@3.1.4-r0?arch=aarch64' }],
        status: 'not_affected',
        justification: 'component_not_present',
      },
    ]);
    assert.equal(otherArch.suppressed.length, 0);
    const otherVersion = apply([
      {
        vulnerability: { name: 'CVE-2024-0727' },
        products: [{ '@id': 'pkg:apk/alpine/libcrypto3@3.1.4-r5' }],
        status: 'not_affected',
        justification: 'component_not_present',
      },
    ]);
    assert.equal(otherVersion.suppressed.length, 0);
  });

  it('keeps findings whose statement in force is affected or under_investigation', () => {
    for (const status of ['affected', 'under_investigation']) {
      const result = apply([
        { vulnerability: { name: 'CVE-2021-23337' }, products: [{ '@id': 'pkg:npm/lodash' }], status },
      ]);
      assert.equal(result.suppressed.length, 0, status);
      assert.equal(result.kept.length, 2, status);
    }
  });

  it('lets the latest statement win, and the later one of equal timestamps', () => {
    const notAffected = {
      vulnerability: { name: 'CVE-2021-23337' },
      products: [{ '@id': 'pkg:npm/lodash' }],
      status: 'not_affected',
      justification: 'vulnerable_code_not_present',
    };
    const affected = {
      vulnerability: { name: 'CVE-2021-23337' },
      products: [{ '@id': 'pkg:npm/lodash' }],
      status: 'affected',
    };
    assert.equal(
      apply([
        { ...notAffected, timestamp: '2024-05-03T00:00:00Z' },
        { ...affected, timestamp: '2024-05-02T00:00:00Z' },
      ]).suppressed.length,
      1,
    );
    assert.equal(
      apply([
        { ...notAffected, timestamp: '2024-05-02T00:00:00Z' },
        { ...affected, timestamp: '2024-05-03T00:00:00Z' },
      ]).suppressed.length,
      0,
    );
    assert.equal(apply([notAffected, affected]).suppressed.length, 0);
    assert.equal(apply([affected, notAffected]).suppressed.length, 1);
  });

  it('applies an image product to every package of the image, and with subcomponents only to those', () => {
    const everywhere = apply([
      {
        vulnerability: { name: 'CVE-2024-0727' },
        products: [{ '@id': 'pkg:oci/app?repository_url=registry.example:5000/team/app' }],
        status: 'not_affected',
        justification: 'inline_mitigations_already_exist',
      },
    ]);
    assert.equal(everywhere.suppressed.length, 1);
    const imageAndSub = {
      vulnerability: { name: 'CVE-2024-0727' },
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
    };
    assert.equal(
      apply([
        {
          ...imageAndSub,
          products: [
            {
              '@id': `pkg:oci/app@sha256%3A${'1'.repeat(64)}`,
              subcomponents: [{ '@id': 'pkg:apk/alpine/libcrypto3' }],
            },
          ],
        },
      ]).suppressed.length,
      1,
      'by digest and subcomponent',
    );
    assert.equal(
      apply([
        {
          ...imageAndSub,
          products: [
            {
              '@id': `pkg:oci/app@sha256%3A${'1'.repeat(64)}`,
              subcomponents: [{ '@id': 'pkg:apk/alpine/libssl3' }],
            },
          ],
        },
      ]).suppressed.length,
      0,
      'another subcomponent',
    );
    assert.equal(
      apply([
        {
          ...imageAndSub,
          products: [
            {
              '@id': `pkg:oci/other@sha256%3A${'2'.repeat(64)}`,
              subcomponents: [{ '@id': 'pkg:apk/alpine/libcrypto3' }],
            },
          ],
        },
      ]).suppressed.length,
      0,
      'another image',
    );
    assert.equal(
      apply([
        {
          ...imageAndSub,
          products: [{ '@id': 'pkg:oci/app?repository_url=registry.example:5000/team/app&arch=arm64' }],
        },
      ]).suppressed.length,
      0,
      'another architecture',
    );
    assert.equal(
      apply([
        {
          ...imageAndSub,
          products: [{ '@id': 'pkg:oci/app?repository_url=registry.example:5000/other/app' }],
        },
      ]).suppressed.length,
      0,
      'another repository',
    );
  });

  it('does not apply a package product with subcomponents (containment is not recorded)', () => {
    const result = apply([
      {
        vulnerability: { name: 'CVE-2021-23337' },
        products: [{ '@id': 'pkg:npm/my-app', subcomponents: [{ '@id': 'pkg:npm/lodash' }] }],
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
      },
    ]);
    assert.equal(result.suppressed.length, 0);
  });

  it('takes VEX before the ignore file', () => {
    const document = parseVexDocument(
      vex([
        {
          vulnerability: { name: 'CVE-2021-23337' },
          products: [{ '@id': 'pkg:npm/lodash' }],
          status: 'fixed',
        },
      ]),
      'vex.json',
    );
    const ignoreFile = parseIgnoreFile('- id: CVE-2021-23337\n  reason: ignored\n', '.drydockignore');
    const result = applySuppressions(
      [lodash],
      { ignoreFiles: [ignoreFile], vexDocuments: [document] },
      { now: june, image },
    );
    assert.equal(result.suppressed[0]?.by, 'vex');
  });
});

describe('image identity', () => {
  it('names a registry image by repository, tag, architecture and digests', () => {
    const image = imageWith([]);
    const identity = imageIdentity(reportWith([image]), image);
    assert.deepEqual(identity.digests, [`sha256:${'1'.repeat(64)}`]);
    assert.ok(
      identity.purls.includes(
        `pkg:oci/app@sha256%3A${'1'.repeat(64)}?arch=amd64&repository_url=registry.example%3A5000%2Fteam%2Fapp&tag=1.0`,
      ),
      identity.purls.join('\n'),
    );
  });

  it('names Docker Hub images with both hosts, and archives by their repository tags', () => {
    const image = imageWith([], { repoTags: ['alpine:3.19'] });
    const identity = imageIdentity(
      reportWith([image], {
        artifact: {
          name: 'docker-archive:/tmp/a.tar',
          kind: 'docker-archive',
          digest: undefined,
          mediaType: 'x',
          platforms: [],
        },
      }),
      image,
    );
    assert.ok(purlMatches('pkg:oci/alpine?repository_url=docker.io/library/alpine', identity.purls[0] ?? ''));
    assert.ok(
      identity.purls.some((purl) =>
        purlMatches('pkg:oci/alpine?repository_url=index.docker.io/library/alpine&tag=3.19', purl),
      ),
    );
  });
});
