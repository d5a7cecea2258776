import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { ImageSummary, RiskRow, VulnerabilityWithHandling } from './current-results.ts';
import { csvCell, imageToCsv, imageToJson, riskRowsToCsv, riskRowsToJson, toCsv } from './export-rows.ts';
import { imageReport } from './test-fixtures.ts';

/** Python's csv module (strict RFC 4180 dialect) as the oracle of what a CSV reader gets back. */
function parseWithPython(text: string): string[][] {
  const program =
    'import csv, io, json, sys\n' +
    "rows = list(csv.reader(io.TextIOWrapper(sys.stdin.buffer, encoding='utf-8', newline=''), strict=True))\n" +
    'print(json.dumps(rows))';
  const output = execFileSync('python3', ['-c', program], { input: text, encoding: 'utf8' });
  const parsed: unknown = JSON.parse(output);
  assert.ok(Array.isArray(parsed));
  return parsed.map((row: unknown) => {
    assert.ok(Array.isArray(row));
    return row.map(String);
  });
}

const image: ImageSummary = {
  id: 'img-1',
  projectId: 'p1',
  connectionId: 'c1',
  connectionName: 'harbor, main',
  registryType: 'harbor',
  namespace: 'team',
  repository: 'team/app',
  tag: 'v1',
  digest: 'sha256:abc',
};

const layer = { index: 2, digest: 'sha256:l2', diffId: 'sha256:d2', createdBy: 'RUN echo "hi"' };

function vulnerability(fields: Partial<VulnerabilityWithHandling> = {}): VulnerabilityWithHandling {
  return {
    id: 'CVE-2024-0001',
    aliases: ['GHSA-xxxx-yyyy-zzzz'],
    status: 'affected',
    package: {
      ecosystem: 'npm',
      name: 'left-pad',
      version: '1.3.0',
      purl: 'pkg:npm/left-pad@1.3.0',
      path: 'app/package-lock.json',
      layer,
    },
    installedVersion: '1.3.0',
    fixedVersions: ['1.3.1', '2.0.0'],
    severity: 'high',
    cvss: { version: '3.1', score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' },
    severitySource: 'test',
    summary: '=HYPERLINK("http://attacker.example","click")',
    description: undefined,
    references: ['https://example.com/a', 'https://example.com/b'],
    published: '2024-01-01T00:00:00Z',
    modified: '2024-01-02T00:00:00Z',
    evidence: {
      osvEcosystem: 'npm',
      osvPackage: 'left-pad',
      matchedBy: 'name',
      scheme: 'semver',
      range: undefined,
    },
    handling: 'open',
    ...fields,
  };
}

describe('CSV cells', () => {
  it('quotes fields with commas, quotes and line breaks (RFC 4180) and leaves others bare', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('cr\rlf'), '"cr\rlf"');
    assert.equal(csvCell(undefined), '');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(7.5), '7.5');
    assert.equal(csvCell(false), 'false');
  });

  it('prefixes text that a spreadsheet would run as a formula with a single quote', () => {
    assert.equal(csvCell('=1+2'), "'=1+2");
    assert.equal(csvCell('+1'), "'+1");
    assert.equal(csvCell('-1'), "'-1");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('\t=1'), "'\t=1");
    assert.equal(csvCell('=A1,"x"'), `"'=A1,""x"""`, 'guarded, then quoted');
    assert.equal(csvCell('a=b'), 'a=b', 'only the first character counts');
    assert.equal(csvCell(-1), '-1', 'numbers are not formulas');
  });

  it('a document has a header row and CRLF after every record, and reads back cell for cell', () => {
    const header = ['name', 'note'];
    const rows = [
      ['a,b', 'line one\nline two'],
      ['"quoted"', '=cmd|calc'],
      ['', 'x'],
    ];
    const text = toCsv(header, rows);
    assert.ok(text.startsWith('name,note\r\n'));
    assert.ok(text.endsWith('\r\n'));
    assert.deepEqual(parseWithPython(text), [
      header,
      ['a,b', 'line one\nline two'],
      ['"quoted"', "'=cmd|calc"],
      ['', 'x'],
    ]);
  });
});

describe('risk exports', () => {
  const rows: RiskRow<'vulnerability'>[] = [
    { image, platform: 'linux/amd64', resultId: 'r1', finding: vulnerability() },
    {
      image,
      platform: 'linux/arm64',
      resultId: 'r2',
      finding: vulnerability({ handling: 'ignored', summary: undefined }),
    },
  ];

  it('vulnerability rows as CSV: image columns, finding columns, injection guarded', () => {
    const output = riskRowsToCsv('vulnerability', rows);
    assert.equal(output.rows, 2);
    const [header, first, second] = parseWithPython(output.content);
    assert.ok(header && first && second);
    const cell = (row: string[], name: string): string | undefined => row[header.indexOf(name)];
    assert.deepEqual(header.slice(0, 7), [
      'registry',
      'registry_type',
      'namespace',
      'repository',
      'tag',
      'image_digest',
      'platform',
    ]);
    assert.equal(cell(first, 'registry'), 'harbor, main');
    assert.equal(cell(first, 'advisory_id'), 'CVE-2024-0001');
    assert.equal(cell(first, 'fixed_versions'), '1.3.1 2.0.0');
    assert.equal(cell(first, 'cvss_score'), '7.5');
    assert.equal(cell(first, 'layer_created_by'), 'RUN echo "hi"');
    assert.equal(cell(first, 'summary'), `'=HYPERLINK("http://attacker.example","click")`);
    assert.equal(cell(second, 'handling'), 'ignored');
    assert.equal(cell(second, 'summary'), '');
  });

  it('secret rows keep the masked secret and never the fingerprint', () => {
    const finding = {
      ruleId: 'aws-access-key-id',
      title: 'AWS access key id',
      severity: 'critical' as const,
      category: 'cloud' as const,
      path: 'root/.aws/credentials',
      line: 2,
      secret: 'AKIA************MPLE',
      excerpt: 'aws_access_key_id = AKIA************MPLE',
      fingerprint: 'e'.repeat(64),
      location: 'file' as const,
      layer,
      inFinalFilesystem: true,
      ignoredBy: { by: 'path_allowlist' as const, glob: 'root/**' },
    };
    const secretRows: RiskRow<'secret'>[] = [{ image, platform: '', resultId: 'r1', finding }];
    const csv = riskRowsToCsv('secret', secretRows);
    const json = riskRowsToJson('secret', secretRows);
    for (const content of [csv.content, json.content]) {
      assert.ok(content.includes('AKIA************MPLE'));
      assert.ok(!content.includes('e'.repeat(64)), 'no fingerprint');
    }
    const [header, row] = parseWithPython(csv.content);
    assert.ok(header && row);
    assert.equal(row[header.indexOf('ignored_by')], 'path_allowlist');
    assert.equal(row[header.indexOf('ignore_reason')], 'root/**');
    const { fingerprint: _fingerprint, ...withoutFingerprint } = finding;
    assert.deepEqual(JSON.parse(json.content), {
      kind: 'secret',
      rows: [{ image, platform: '', resultId: 'r1', finding: withoutFingerprint }],
    });
  });

  it('an image exports as its whole report in JSON and as its vulnerability rows in CSV', () => {
    const createdAt = new Date('2025-01-01T00:00:00.000Z');
    const results = {
      image,
      platforms: [
        {
          result: {
            id: 'r1',
            projectId: 'p1',
            imageId: 'img-1',
            taskId: null,
            digest: 'sha256:child',
            platform: 'linux/amd64',
            riskTypes: ['vulnerability' as const],
            riskCounts: {
              vulnerability: { critical: 0, high: 1, medium: 0, low: 0, unknown: 0 },
              secret: 0,
              malware: 0,
              baseline: 0,
              compliance: 0,
            },
            riskLevel: 'high' as const,
            matchedAt: createdAt,
            databaseBuiltAt: '2024-12-31T00:00:00.000Z',
            createdAt,
          },
          report: {
            ...imageReport({
              manifestDigest: 'sha256:child',
              config: { ...imageReport().config, env: ['PASSWORD=****'] },
            }),
            // As read back: findings carry their handling.
            vulnerabilities: [vulnerability()],
            secrets: [],
          },
        },
      ],
    };
    const json = imageToJson(results);
    assert.equal(json.rows, 1);
    const document: unknown = JSON.parse(json.content);
    assert.ok(
      typeof document === 'object' &&
        document !== null &&
        'platforms' in document &&
        Array.isArray(document.platforms),
    );
    assert.equal(document.platforms[0].report.vulnerabilities[0].id, 'CVE-2024-0001');
    assert.deepEqual(document.platforms[0].report.config.env, ['PASSWORD=****']);
    const csv = imageToCsv(results);
    assert.equal(csv.rows, 1);
    assert.equal(parseWithPython(csv.content).length, 2);
  });
});
