import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countBlockingFindings, applyFindingPolicy } from './filter-findings-policy.ts';
import { finding, imageWith, npmFinding, reportWith } from './filter-findings-fixtures.ts';
import { filterFindings, parseSeverityList, severities } from './filter-findings.ts';
import { parseIgnoreFile } from './suppressions-ignore-file.ts';
import { parseVexDocument } from './suppressions-vex.ts';
import { noSuppressionRules } from './suppressions.ts';

const june = new Date('2024-06-15T10:00:00Z');

const critical = finding({
  id: 'ALPINE-CVE-2024-1',
  aliases: ['CVE-2024-1'],
  severity: 'critical',
  fixedVersions: [],
});
const high = npmFinding();
const medium = finding();
const low = finding({
  id: 'ALPINE-CVE-2024-3',
  aliases: [],
  severity: 'low',
  cvss: undefined,
  fixedVersions: [],
});
const unknownSeverity = finding({
  id: 'ALPINE-CVE-2024-4',
  aliases: [],
  severity: 'unknown',
  cvss: undefined,
});
const unevaluated = finding({
  id: 'ALPINE-CVE-2024-5',
  aliases: [],
  status: 'unknown',
  severity: 'high',
  evidence: {
    osvEcosystem: 'Alpine:v3.19',
    osvPackage: 'openssl',
    matchedBy: 'source',
    scheme: 'apk',
    range: undefined,
    reason: 'invalid apk version "3.1.4_bogus"',
  },
});
const all = [critical, high, medium, low, unknownSeverity, unevaluated];

describe('parseSeverityList', () => {
  it('reads comma lists in any case, with spaces and repeats', () => {
    assert.deepEqual(parseSeverityList('HIGH,CRITICAL'), { ok: true, severities: ['high', 'critical'] });
    assert.deepEqual(parseSeverityList(' low , Medium,,low '), { ok: true, severities: ['low', 'medium'] });
    assert.deepEqual(parseSeverityList('UNKNOWN'), { ok: true, severities: ['unknown'] });
  });

  it('names what it cannot read', () => {
    assert.deepEqual(parseSeverityList('HIGH,SEVERE'), { ok: false, invalid: ['severe'] });
    assert.deepEqual(parseSeverityList(' , '), { ok: false, invalid: [' , '] });
    assert.deepEqual(parseSeverityList('toString'), { ok: false, invalid: ['tostring'] });
  });

  it('lists every severity, most severe first', () => {
    assert.deepEqual(severities, ['critical', 'high', 'medium', 'low', 'unknown']);
  });
});

describe('filterFindings', () => {
  it('keeps everything without filters', () => {
    assert.deepEqual(filterFindings(all, {}), all);
  });

  it('keeps only the severities asked for', () => {
    assert.deepEqual(filterFindings(all, { severities: ['high', 'critical'] }), [
      critical,
      high,
      unevaluated,
    ]);
    assert.deepEqual(filterFindings(all, { severities: ['unknown'] }), [unknownSeverity]);
  });

  it('drops findings without a fixed version with ignoreUnfixed', () => {
    assert.deepEqual(filterFindings(all, { ignoreUnfixed: true }), [
      high,
      medium,
      unknownSeverity,
      unevaluated,
    ]);
    assert.deepEqual(filterFindings(all, { ignoreUnfixed: true, severities: ['critical', 'high'] }), [
      high,
      unevaluated,
    ]);
  });
});

describe('applyFindingPolicy', () => {
  const report = reportWith([imageWith(all)]);

  it('moves suppressed findings with their reasons, then filters both lists', () => {
    const vex = parseVexDocument(
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        '@id': 'urn:vex:1',
        author: 'a',
        timestamp: '2024-05-01T00:00:00Z',
        version: 1,
        statements: [
          {
            vulnerability: { name: 'CVE-2021-23337' },
            products: [{ '@id': 'pkg:npm/lodash' }],
            status: 'not_affected',
            justification: 'vulnerable_code_not_present',
          },
        ],
      }),
      'vex.json',
    );
    const ignoreFile = parseIgnoreFile(
      '- id: ALPINE-CVE-2024-3\n  reason: accepted\n- id: CVE-2024-0727\n  reason: stale\n  expires: 2024-01-01\n',
      'ignore.yaml',
    );
    const { report: result, expired } = applyFindingPolicy(report, {
      suppressions: { ignoreFiles: [ignoreFile], vexDocuments: [vex] },
      now: june,
      severities: ['critical', 'high', 'low'],
    });
    const image = result.images[0];
    assert.deepEqual(
      image?.vulnerabilities?.map((kept) => kept.id),
      ['ALPINE-CVE-2024-1', 'ALPINE-CVE-2024-5'],
    );
    assert.deepEqual(
      image?.suppressedVulnerabilities?.map((entry) => [entry.finding.id, entry.by, entry.reason]),
      [
        ['GHSA-35jh-r3h4-6jhm', 'vex', 'vulnerable_code_not_present'],
        ['ALPINE-CVE-2024-3', 'ignore-file', 'accepted'],
      ],
    );
    assert.deepEqual(
      expired.map((entry) => [entry.entry.id, entry.findings]),
      [['CVE-2024-0727', 1]],
    );
    assert.equal(countBlockingFindings(result), 1, 'the finding of unknown status does not count');
  });

  it('shows a suppressed finding only when the filters would have reported it', () => {
    const ignoreFile = parseIgnoreFile('- id: ALPINE-CVE-2024-3\n  reason: accepted\n', 'ignore.yaml');
    const { report: result } = applyFindingPolicy(report, {
      suppressions: { ignoreFiles: [ignoreFile], vexDocuments: [] },
      now: june,
      severities: ['critical'],
    });
    assert.equal(result.images[0]?.suppressedVulnerabilities, undefined);
  });

  it('leaves images whose vulnerabilities were not scanned alone', () => {
    const notScanned = reportWith([imageWith(undefined)]);
    const { report: result } = applyFindingPolicy(notScanned, {
      suppressions: noSuppressionRules,
      now: june,
      ignoreUnfixed: true,
    });
    assert.equal(result.images[0], notScanned.images[0]);
    assert.equal(countBlockingFindings(result), 0);
  });

  it('reports each expired entry once across platforms, summing the findings', () => {
    const twoPlatforms = reportWith([
      imageWith([medium]),
      imageWith([medium], { platform: { os: 'linux', architecture: 'arm64' } }),
    ]);
    const ignoreFile = parseIgnoreFile(
      '- id: CVE-2024-0727\n  reason: stale\n  expires: 2024-01-01\n',
      'ignore.yaml',
    );
    const { report: result, expired } = applyFindingPolicy(twoPlatforms, {
      suppressions: { ignoreFiles: [ignoreFile], vexDocuments: [] },
      now: june,
    });
    assert.deepEqual(
      expired.map((entry) => entry.findings),
      [2],
    );
    assert.equal(countBlockingFindings(result), 2);
  });

  it('counts affected findings after every filter', () => {
    assert.equal(countBlockingFindings(report), 5);
    const { report: fixedOnly } = applyFindingPolicy(report, {
      suppressions: noSuppressionRules,
      now: june,
      ignoreUnfixed: true,
    });
    assert.equal(countBlockingFindings(fixedOnly), 3);
    const { report: none } = applyFindingPolicy(report, {
      suppressions: noSuppressionRules,
      now: june,
      severities: ['critical'],
      ignoreUnfixed: true,
    });
    assert.equal(countBlockingFindings(none), 0);
  });
});
