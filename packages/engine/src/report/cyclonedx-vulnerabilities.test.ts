import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cycloneDxErrors } from '../../../../test/harness/schemas.ts';
import { formatCycloneDx } from './cyclonedx.ts';
import { finding, imageWith, npmFinding, reportWith } from './filter-findings-fixtures.ts';

interface CdxRating {
  readonly source?: { readonly name?: string };
  readonly score?: number;
  readonly severity?: string;
  readonly method?: string;
  readonly vector?: string;
}

interface CdxVulnerability {
  readonly 'bom-ref'?: string;
  readonly id: string;
  readonly source?: { readonly name?: string; readonly url?: string };
  readonly references?: readonly {
    readonly id: string;
    readonly source: { readonly name?: string; readonly url?: string };
  }[];
  readonly ratings?: readonly CdxRating[];
  readonly description?: string;
  readonly detail?: string;
  readonly recommendation?: string;
  readonly advisories?: readonly { readonly url: string }[];
  readonly published?: string;
  readonly updated?: string;
  readonly affects?: readonly {
    readonly ref: string;
    readonly versions?: readonly { readonly version: string; readonly status: string }[];
  }[];
}

interface CdxComponent {
  readonly 'bom-ref'?: string;
  readonly name: string;
  readonly purl?: string;
  readonly components?: readonly CdxComponent[];
}

interface CdxBom {
  readonly components?: readonly CdxComponent[];
  readonly vulnerabilities?: readonly CdxVulnerability[];
}

function parse(text: string): CdxBom {
  return JSON.parse(text) as CdxBom;
}

function byId(bom: CdxBom, id: string): CdxVulnerability {
  const found = bom.vulnerabilities?.find((vulnerability) => vulnerability.id === id);
  assert.ok(found, `no vulnerability ${id}`);
  return found;
}

const v4 = finding({
  id: 'ALPINE-CVE-2024-9',
  aliases: ['CVE-2024-9'],
  severity: 'high',
  cvss: {
    version: '4.0',
    score: 8.7,
    vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N',
  },
  severitySource: 'cvss_v4',
});
const distribution = finding({
  id: 'DSA-5000-1',
  aliases: [],
  severity: 'low',
  cvss: undefined,
  severitySource: 'distribution',
  fixedVersions: [],
  summary: undefined,
  description: undefined,
  references: ['not a url'],
  published: undefined,
});
const unevaluated = finding({
  id: 'ALPINE-CVE-2024-5',
  aliases: [],
  status: 'unknown',
  evidence: {
    osvEcosystem: 'Alpine:v3.19',
    osvPackage: 'openssl',
    matchedBy: 'source',
    scheme: 'apk',
    range: undefined,
    reason: 'bad version',
  },
});
const sameAdvisoryOtherPackage = finding({
  package: { name: 'libssl3', purl: 'pkg:apk/alpine/libssl3@3.1.4-r0?arch=x86_64&distro=alpine-3.19.0' },
});

describe('CycloneDX vulnerabilities section', () => {
  const report = reportWith([
    imageWith([finding(), sameAdvisoryOtherPackage, npmFinding(), v4, distribution, unevaluated]),
  ]);
  const text = formatCycloneDx(report);
  const bom = parse(text);

  it('is valid CycloneDX 1.6', () => {
    assert.deepEqual(cycloneDxErrors(JSON.parse(text)), []);
  });

  it('has one entry per advisory, affecting every component it was found in', () => {
    assert.equal(bom.vulnerabilities?.length, 5);
    const openssl = byId(bom, 'ALPINE-CVE-2024-0727');
    const refs = new Set((bom.components ?? []).map((component) => component['bom-ref']));
    assert.deepEqual(
      openssl.affects?.map((affect) => affect.ref),
      [
        'pkg:apk/alpine/libcrypto3@3.1.4-r0?arch=x86_64&distro=alpine-3.19.0#lib/apk/db/installed',
        'pkg:apk/alpine/libssl3@3.1.4-r0?arch=x86_64&distro=alpine-3.19.0#lib/apk/db/installed',
      ],
    );
    for (const vulnerability of bom.vulnerabilities ?? []) {
      for (const affect of vulnerability.affects ?? [])
        assert.ok(refs.has(affect.ref), `dangling ref ${affect.ref}`);
    }
    assert.deepEqual(openssl.affects?.[0]?.versions, [
      { version: '3.1.4-r0', status: 'affected' },
      { version: '3.1.4-r5', status: 'unaffected' },
    ]);
  });

  it('rates with severity, score, vector and the CVSS method', () => {
    assert.deepEqual(byId(bom, 'GHSA-35jh-r3h4-6jhm').ratings, [
      {
        source: { name: 'cvss_v3' },
        score: 7.2,
        severity: 'high',
        method: 'CVSSv31',
        vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H',
      },
    ]);
    assert.equal(byId(bom, 'ALPINE-CVE-2024-9').ratings?.[0]?.method, 'CVSSv4');
    assert.deepEqual(byId(bom, 'DSA-5000-1').ratings, [
      { source: { name: 'distribution' }, severity: 'low' },
    ]);
  });

  it('links aliases as references, advisories, text, dates and the fix', () => {
    const lodash = byId(bom, 'GHSA-35jh-r3h4-6jhm');
    assert.deepEqual(lodash.source, {
      name: 'OSV',
      url: 'https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm',
    });
    assert.deepEqual(lodash.references, [
      {
        id: 'CVE-2021-23337',
        source: { name: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337' },
      },
    ]);
    assert.deepEqual(
      lodash.advisories?.map((advisory) => advisory.url),
      [
        'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
        'https://nvd.nist.gov/vuln/detail/CVE-2021-23337',
      ],
    );
    assert.equal(lodash.description, 'Command Injection in lodash');
    assert.match(lodash.detail ?? '', /template function/);
    assert.equal(lodash.recommendation, 'Upgrade to a fixed version: lodash 4.17.21');
    assert.equal(lodash.published, '2024-01-26T09:15:00.000Z');
    assert.equal(lodash.updated, '2024-06-10T17:16:00.000Z');
    const dsa = byId(bom, 'DSA-5000-1');
    assert.equal(dsa.advisories, undefined, 'an unparsable link is left out');
    assert.equal(dsa.recommendation, undefined);
  });

  it('marks the installed version unknown when it could not be evaluated', () => {
    assert.deepEqual(byId(bom, 'ALPINE-CVE-2024-5').affects?.[0]?.versions?.[0], {
      version: '3.1.4-r0',
      status: 'unknown',
    });
  });

  it('links to the components of each platform in a multi-platform BOM', () => {
    const twoPlatforms = reportWith([
      imageWith([npmFinding()]),
      imageWith([npmFinding()], { platform: { os: 'linux', architecture: 'arm64' } }),
    ]);
    const multi = formatCycloneDx(twoPlatforms);
    assert.deepEqual(cycloneDxErrors(JSON.parse(multi)), []);
    assert.deepEqual(
      parse(multi).vulnerabilities?.[0]?.affects?.map((affect) => affect.ref),
      [
        'linux/amd64:pkg:npm/lodash@4.17.20#app/node_modules/lodash/package.json',
        'linux/arm64:pkg:npm/lodash@4.17.20#app/node_modules/lodash/package.json',
      ],
    );
  });

  it('has no vulnerabilities section when vulnerabilities were not scanned or none were found', () => {
    assert.equal(parse(formatCycloneDx(reportWith([imageWith(undefined)]))).vulnerabilities, undefined);
    assert.equal(parse(formatCycloneDx(reportWith([imageWith([])]))).vulnerabilities, undefined);
  });
});
