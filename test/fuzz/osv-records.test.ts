/**
 * Fuzzing what a vulnerability feed delivers: the line splitter of JSON Lines feeds, the document
 * splitter of JSON feeds, OSV record validation, and what the import and the matcher do with a
 * record that passed validation (severity, CVSS vectors, match entries, and range evaluation under
 * every version scheme). Nothing here may throw, but the line splitter's DrydockError for an
 * over-long line.
 */
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { evaluateOsvRanges } from '../../packages/engine/src/versioning/evaluate-osv-ranges.ts';
import { versionSchemes } from '../../packages/engine/src/versioning/registry.ts';
import { scoreCvssVector } from '../../packages/engine/src/vulndb/cvss.ts';
import { readLines } from '../../packages/engine/src/vulndb/line-reader.ts';
import { toAdvisorySummary, toMatchEntry } from '../../packages/engine/src/vulndb/match-entry.ts';
import { validateOsvRecord } from '../../packages/engine/src/vulndb/osv-schema.ts';
import { documentItems } from '../../packages/engine/src/vulndb/parse-json-item.ts';
import { severityOf } from '../../packages/engine/src/vulndb/severity.ts';
import { boundedCall, boundedCallAsync, drydockErrorsOnly, nothingThrown } from './bounded-call.ts';
import { fuzzParameters } from './fuzz-budget.ts';
import { byteInputs, textInputs } from './mutations.ts';

const records = [
  {
    schema_version: '1.6.0',
    id: 'GHSA-aaaa-bbbb-cccc',
    modified: '2024-01-02T03:04:05Z',
    published: '2023-12-01T00:00:00Z',
    aliases: ['CVE-2024-0001'],
    summary: 'Prototype pollution',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [
      {
        package: { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash' },
        ranges: [
          { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] },
          {
            type: 'ECOSYSTEM',
            events: [{ introduced: '1.0.0-rc.1' }, { last_affected: '3.0.0' }, { limit: '*' }],
          },
        ],
        versions: ['4.17.20'],
        database_specific: { severity: 'HIGH' },
      },
    ],
    references: [{ type: 'ADVISORY', url: 'https://example.com/a' }],
  },
  {
    id: 'DEBIAN-CVE-2023-1234',
    modified: '2024-01-02T03:04:05.123456Z',
    affected: [
      {
        package: { ecosystem: 'Debian:12', name: 'openssl' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:3.0.11-1~deb12u2' }] }],
        severity: [
          { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
        ],
        ecosystem_specific: { urgency: 'high' },
      },
      {
        package: { ecosystem: 'PyPI', name: 'Django' },
        ranges: [{ type: 'GIT', repo: 'https://g/x', events: [{ introduced: 'abc' }] }],
      },
    ],
  },
];

const versions = [
  '0',
  '1.2.3',
  '4.17.20',
  '1:3.0.11-1~deb12u1',
  '2.0.0rc1',
  'v1.2.3-0.20230101000000-abcdefabcdef',
  '',
];

const json = (value: unknown): string => JSON.stringify(value, null, 1);

describe('fuzz: OSV records', () => {
  it('validation, then severity, match entries and range evaluation of every record that passes', () => {
    fc.assert(
      fc.property(textInputs(records.map(json)), fc.constantFrom(...versions), (text, version) => {
        for (const item of boundedCall(
          'documentItems',
          text,
          () => documentItems(text, 'feed.json'),
          nothingThrown,
        ) ?? []) {
          if (item.kind !== 'json') continue;
          const validation = boundedCall(
            'validateOsvRecord',
            text,
            () => validateOsvRecord(item.value),
            nothingThrown,
          );
          if (validation?.ok !== true) continue;
          const { record } = validation;
          boundedCall(
            'severity and match entries',
            text,
            () => {
              const severity = severityOf(record);
              toAdvisorySummary(record, severity);
              for (const affected of record.affected ?? []) {
                toMatchEntry(record, affected, severity);
                for (const scheme of Object.values(versionSchemes))
                  evaluateOsvRanges(version, affected, scheme);
              }
            },
            nothingThrown,
          );
        }
      }),
      fuzzParameters(4),
    );
  });

  it('range evaluation of any events under every scheme', () => {
    const event = fc.record(
      {
        introduced: textInputs(versions),
        fixed: textInputs(versions),
        last_affected: textInputs(versions),
        limit: textInputs(versions),
      },
      { requiredKeys: [] },
    );
    const affected = fc.record(
      {
        ranges: fc.array(
          fc.record({
            type: fc.constantFrom('ECOSYSTEM', 'SEMVER', 'GIT', 'X'),
            events: fc.array(event, { maxLength: 6 }),
          }),
          { maxLength: 3 },
        ),
        versions: fc.array(textInputs(versions), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(textInputs(versions), affected, (version, entry) => {
        for (const scheme of Object.values(versionSchemes)) {
          boundedCall(
            `evaluateOsvRanges (${scheme.id})`,
            { version, entry },
            () => evaluateOsvRanges(version, entry, scheme),
            nothingThrown,
          );
        }
      }),
      fuzzParameters(2),
    );
  });

  it('CVSS vectors', () => {
    const vectors = [
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:C/C:L/I:N/A:N/E:U/RL:O',
      'AV:N/AC:L/Au:N/C:P/I:P/A:P',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    ];
    fc.assert(
      fc.property(textInputs(vectors), (vector) => {
        boundedCall('scoreCvssVector', vector, () => scoreCvssVector(vector), nothingThrown);
      }),
      fuzzParameters(4),
    );
  });

  it('JSON Lines splitting, with a line bound', async () => {
    const feed = Buffer.from(records.map((record) => JSON.stringify(record)).join('\r\n') + '\n\n{"id":"x"}');
    await fc.assert(
      fc.asyncProperty(byteInputs([feed]), fc.integer({ min: 64, max: 8192 }), async (bytes, chunkBytes) => {
        const chunks = Array.from({ length: Math.ceil(bytes.length / chunkBytes) }, (_, index) =>
          bytes.subarray(index * chunkBytes, (index + 1) * chunkBytes),
        );
        await boundedCallAsync(
          'readLines',
          bytes,
          async () => {
            for await (const line of readLines(Readable.from(chunks), 64 * 1024))
              documentItems(line, 'feed.jsonl');
          },
          drydockErrorsOnly,
        );
      }),
      fuzzParameters(),
    );
  });
});
