import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finding, imageWith, npmFinding, reportWith } from './filter-findings-fixtures.ts';
import { vex } from './suppressions-fixtures.ts';
import { imageIdentity } from './suppressions-image-identity.ts';
import { parseIgnoreFile } from './suppressions-ignore-file.ts';
import { noImageIdentity, parseVexDocument, type ImageIdentity } from './suppressions-vex.ts';
import { applySuppressions, noSuppressionRules, type SuppressionRules } from './suppressions.ts';

const june = new Date('2024-06-15T10:00:00Z');

function rules(partial: Partial<SuppressionRules>): SuppressionRules {
  return { ...noSuppressionRules, ...partial };
}

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
