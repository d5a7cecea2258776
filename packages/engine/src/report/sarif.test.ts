import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as Sarif from 'sarif';
import type { SuppressedFinding } from '../scan/result.ts';
import { finding, imageWith, npmFinding, reportWith } from './filter-findings-fixtures.ts';
import { formatSarif, imageRootBaseId, sarifSchema } from './sarif.ts';

function parse(text: string): Sarif.Log {
  return JSON.parse(text) as Sarif.Log;
}

const critical = finding({
  id: 'ALPINE-CVE-2024-1',
  aliases: ['CVE-2024-1'],
  severity: 'critical',
  cvss: { version: '3.1', score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
});
const high = npmFinding();
const medium = finding();
const lowNoScore = finding({
  id: 'ALPINE-CVE-2024-3',
  aliases: [],
  severity: 'low',
  cvss: undefined,
  fixedVersions: [],
  references: [],
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
    reason: 'invalid apk version',
  },
});
const suppressedMedium = finding({
  package: { name: 'libssl3', purl: 'pkg:apk/alpine/libssl3@3.1.4-r0?arch=x86_64' },
});
const suppressed: SuppressedFinding = {
  finding: suppressedMedium,
  by: 'vex',
  reason: 'vulnerable_code_not_in_execute_path',
  source: 'app.openvex.json',
  status: 'not_affected',
  justification: 'vulnerable_code_not_in_execute_path',
  document: 'urn:vex:1',
  timestamp: '2024-05-01T00:00:00Z',
};

describe('formatSarif', () => {
  const report = reportWith([
    imageWith([critical, high, medium, lowNoScore, unknownSeverity, unevaluated], {
      suppressedVulnerabilities: [suppressed],
    }),
  ]);
  const log = parse(formatSarif(report, { informationUri: 'https://drydock.example/docs' }));
  const run = log.runs[0];
  assert.ok(run);
  const rules = run.tool.driver.rules ?? [];
  const results = run.results ?? [];
  const resultFor = (id: string, name = ''): Sarif.Result => {
    const found = results.find(
      (entry) => entry.ruleId === id && (name === '' || entry.properties?.['packageName'] === name),
    );
    assert.ok(found, `no result for ${id}`);
    return found;
  };

  it('is one SARIF 2.1.0 run of the drydock tool', () => {
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, sarifSchema);
    assert.equal(log.runs.length, 1);
    assert.equal(run.tool.driver.name, 'drydock');
    assert.equal(run.tool.driver.version, '0.1.0');
    assert.equal(run.tool.driver.informationUri, 'https://drydock.example/docs');
    assert.equal(run.originalUriBaseIds?.[imageRootBaseId]?.uri, 'file:///');
  });

  it('has one rule per advisory, with descriptions, help link, security-severity and tags', () => {
    assert.deepEqual(
      rules.map((rule) => rule.id),
      [
        'ALPINE-CVE-2024-1',
        'GHSA-35jh-r3h4-6jhm',
        'ALPINE-CVE-2024-0727',
        'ALPINE-CVE-2024-3',
        'ALPINE-CVE-2024-4',
        'ALPINE-CVE-2024-5',
      ],
      'the suppressed finding shares its advisory rule',
    );
    const lodash = rules[1];
    assert.equal(lodash?.shortDescription?.text, 'Command Injection in lodash');
    assert.match(lodash?.fullDescription?.text ?? '', /template function/);
    assert.equal(lodash?.helpUri, 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337');
    assert.match(lodash?.help?.text ?? '', /GHSA-35jh-r3h4-6jhm \(CVE-2021-23337\)/);
    assert.deepEqual(lodash?.properties?.['tags'], ['vulnerability', 'security', 'HIGH']);
    assert.equal(lodash?.properties?.['security-severity'], '7.2');
    assert.equal(rules[0]?.properties?.['security-severity'], '9.8');
    assert.equal(rules[3]?.properties?.['security-severity'], '2.0', 'no CVSS: the severity band');
    assert.equal(
      rules[3]?.helpUri,
      'https://osv.dev/vulnerability/ALPINE-CVE-2024-3',
      'no references: OSV.dev',
    );
    assert.equal(rules[4]?.properties?.['security-severity'], undefined, 'unknown severity: none');
  });

  it('has one result per finding, pointing at its rule, with the level of its severity', () => {
    assert.equal(results.length, 7);
    for (const result of results) assert.equal(rules[result.ruleIndex ?? -1]?.id, result.ruleId);
    assert.equal(resultFor('ALPINE-CVE-2024-1').level, 'error');
    assert.equal(resultFor('GHSA-35jh-r3h4-6jhm').level, 'error');
    assert.equal(resultFor('ALPINE-CVE-2024-0727', 'libcrypto3').level, 'warning');
    assert.equal(resultFor('ALPINE-CVE-2024-3').level, 'note');
    assert.equal(resultFor('ALPINE-CVE-2024-4').level, 'note');
  });

  it('names the package, installed and fixed versions in the message', () => {
    assert.equal(
      resultFor('GHSA-35jh-r3h4-6jhm').message.text,
      'Package lodash 4.17.20 is affected by GHSA-35jh-r3h4-6jhm (high). Installed version: 4.17.20. Fixed version: 4.17.21.',
    );
    assert.match(resultFor('ALPINE-CVE-2024-3').message.text ?? '', /Fixed version: not fixed\.$/);
  });

  it('locates each result at the package file in the image, with the image and layer', () => {
    const location = resultFor('GHSA-35jh-r3h4-6jhm').locations?.[0];
    assert.deepEqual(location?.physicalLocation?.artifactLocation, {
      uri: 'app/node_modules/lodash/package.json',
      uriBaseId: imageRootBaseId,
    });
    assert.deepEqual(location?.logicalLocations, [
      {
        kind: 'image',
        name: 'registry.example:5000/team/app:1.0',
        fullyQualifiedName: 'registry.example:5000/team/app:1.0',
      },
      {
        kind: 'layer',
        name: 'layer 2',
        fullyQualifiedName: 'registry.example:5000/team/app:1.0/layer 2',
        decoratedName: `sha256:${'c'.repeat(64)}`,
      },
    ]);
    assert.equal(
      resultFor('GHSA-35jh-r3h4-6jhm').properties?.['layerCreatedBy'],
      'RUN /bin/sh -c npm ci --omit=dev # buildkit',
    );
  });

  it('makes a finding of unknown status a review result (level none, as SARIF requires)', () => {
    const result = resultFor('ALPINE-CVE-2024-5');
    assert.equal(result.kind, 'review');
    assert.equal(result.level, 'none');
    assert.match(result.message.text ?? '', /could not be evaluated \(invalid apk version\)/);
  });

  it('includes suppressed findings with an external suppression carrying the reason', () => {
    const result = resultFor('ALPINE-CVE-2024-0727', 'libssl3');
    assert.deepEqual(result.suppressions, [
      {
        kind: 'external',
        status: 'accepted',
        justification: 'vulnerable_code_not_in_execute_path',
        location: { physicalLocation: { artifactLocation: { uri: 'app.openvex.json' } } },
        properties: { by: 'vex' },
      },
    ]);
    assert.equal(resultFor('ALPINE-CVE-2024-0727', 'libcrypto3').suppressions, undefined);
  });

  it('gives stable, distinct fingerprints', () => {
    const again = parse(formatSarif(report)).runs[0]?.results ?? [];
    const prints = results.map((result) => result.partialFingerprints?.['drydockFinding/v1']);
    assert.deepEqual(
      again.map((result) => result.partialFingerprints?.['drydockFinding/v1']),
      prints,
    );
    assert.equal(new Set(prints).size, prints.length);
  });

  it('names the platform in the image location of a multi-platform report, and is empty without findings', () => {
    const twoPlatforms = reportWith([
      imageWith([high]),
      imageWith([high], { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }),
    ]);
    const names = (parse(formatSarif(twoPlatforms)).runs[0]?.results ?? []).map(
      (result) => result.locations?.[0]?.logicalLocations?.[0]?.name,
    );
    assert.deepEqual(names, [
      'registry.example:5000/team/app:1.0 (linux/amd64)',
      'registry.example:5000/team/app:1.0 (linux/arm64/v8)',
    ]);
    const empty = parse(formatSarif(reportWith([imageWith(undefined)]))).runs[0];
    assert.deepEqual(empty?.results, []);
    assert.deepEqual(empty?.tool.driver.rules, []);
    assert.equal(empty?.tool.driver.informationUri, undefined);
  });
});
