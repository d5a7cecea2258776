import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SuppressionFileError } from './suppressions-error.ts';
import { invalid, vex } from './suppressions-fixtures.ts';
import { loadVexDocument, parseVexDocument } from './suppressions-vex.ts';

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
