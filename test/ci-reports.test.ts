/**
 * `drydock image` as a CI step, end to end against images in a real registry: the exit status for
 * each threshold (no findings, findings below it, at or above it, a scan error), the JUnit XML
 * format (well formed, escaped, one failing test case per finding that fails the gate), and the
 * published JSON Schema of the JSON format (real reports validate against it; it is the one the
 * ScanReport type generates, so a field added to the type without regenerating fails here).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { formatJunit, importSource, reportJsonSchema, type ScanReport } from '@drydock/engine';
import { reportSchemaPath, reportSchemaText } from '../scripts/generate-report-schema.ts';
import { runDrydock, type CliResult } from './harness/drydock-cli.ts';
import { startRegistry, type TestRegistry } from './harness/registry.ts';
import { buildTestImage, RegistryPusher } from './harness/registry-push.ts';
import { elementsNamed, parseXml, type XmlElement } from './harness/xml-well-formed.ts';

/** Hand-written OSV records (https://ossf.github.io/osv-schema/): one critical, one medium, one low. */
const records = [
  {
    schema_version: '1.6.0',
    id: 'GHSA-35jh-r3h4-6jhm',
    modified: '2024-03-01T00:00:00Z',
    aliases: ['CVE-2021-23337'],
    summary: 'Command Injection in lodash <template>',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [
      {
        package: { ecosystem: 'npm', name: 'lodash' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
      },
    ],
    references: [{ type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337' }],
  },
  {
    schema_version: '1.6.0',
    id: 'ALPINE-CVE-2024-0727',
    modified: '2024-03-01T00:00:00Z',
    summary: 'PKCS12 "Decoding" crashes & more',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H' }],
    affected: [
      {
        package: { ecosystem: 'Alpine:v3.19', name: 'openssl' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.1.4-r5' }] }],
      },
    ],
  },
  {
    schema_version: '1.6.0',
    id: 'ALPINE-CVE-2023-0002',
    modified: '2024-03-01T00:00:00Z',
    summary: 'Information leak in busybox',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N' }],
    affected: [
      {
        package: { ecosystem: 'Alpine:v3.19', name: 'busybox' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.36.1-r16' }] }],
      },
    ],
  },
];

const osRelease = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n';

function apk(packages: readonly (readonly [string, string, string])[]): string {
  return `${packages.map(([name, version, origin]) => `P:${name}\nV:${version}\nA:x86_64\no:${origin}\nL:MIT`).join('\n\n')}\n\n`;
}

const base = { 'etc/os-release': osRelease, 'etc/alpine-release': '3.19.1\n' };
const zlib = ['zlib', '1.3.1-r0', 'zlib'] as const;
const busybox = ['busybox', '1.36.1-r15', 'busybox'] as const;
const libcrypto = ['libcrypto3', '3.1.4-r0', 'openssl'] as const;
// A made-up token in the GitHub classic personal access token format (not a real credential).
const fakeToken = `ghp_${'x9Kq2LmP7vR4tY8wZ1nB5cD3fG6hJ0sA2eU4'}`;

let work: string;
let database: string;
let registry: TestRegistry;
const images = { clean: '', low: '', vulnerable: '' };

function scan(reference: string, args: readonly string[]): Promise<CliResult> {
  return runDrydock(['image', '--no-progress', '--insecure', '--db', database, ...args, reference], {
    env: { DRYDOCK_CACHE_DIR: join(work, 'empty-cache') },
  });
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-ci-reports-'));
  await mkdir(join(work, 'empty-cache'));
  const feed = join(work, 'records.jsonl');
  await writeFile(feed, `${records.map((record) => JSON.stringify(record)).join('\n')}\n`);
  database = join(work, 'vulndb.sqlite');
  await importSource(database, feed, { feedName: 'handwritten' });
  registry = await startRegistry();
  const pusher = new RegistryPusher(registry);
  const push = async (
    tag: keyof typeof images,
    layers: Readonly<Record<string, string>>[],
  ): Promise<void> => {
    await pusher.pushImage('ci/app', tag, await buildTestImage({ layers }));
    images[tag] = `${registry.host}/ci/app:${tag}`;
  };
  await push('clean', [{ ...base, 'lib/apk/db/installed': apk([zlib]) }]);
  await push('low', [{ ...base, 'lib/apk/db/installed': apk([zlib, busybox]) }]);
  await push('vulnerable', [
    { ...base, 'lib/apk/db/installed': apk([zlib, busybox, libcrypto]) },
    {
      'app/node_modules/lodash/package.json': '{"name":"lodash","version":"4.17.20","license":"MIT"}\n',
      'app/config/<prod & "eu">.env': `GITHUB_TOKEN=${fakeToken}\n`,
    },
  ]);
});

after(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('exit status as a CI gate', () => {
  it('is 0 without findings, 0 below the threshold, the --exit-code value at or above it, 2 on a scan error', async () => {
    const cases: readonly [string, readonly string[], number][] = [
      ['no findings', [images.clean, '--exit-code', '9'], 0],
      ['no findings, any severity', [images.clean, '--exit-code', '9', '--severity', 'LOW,UNKNOWN'], 0],
      [
        'findings below the threshold',
        [images.low, '--exit-code', '9', '--severity', 'MEDIUM,HIGH,CRITICAL'],
        0,
      ],
      [
        'findings at the threshold',
        [images.low, '--exit-code', '9', '--severity', 'LOW,MEDIUM,HIGH,CRITICAL'],
        9,
      ],
      [
        'findings above the threshold',
        [images.vulnerable, '--exit-code', '9', '--severity', 'HIGH,CRITICAL'],
        9,
      ],
      ['findings without --exit-code', [images.vulnerable], 0],
      ['a scan error', [`${registry.host}/ci/app:missing`, '--exit-code', '9'], 2],
    ];
    const results = await Promise.all(
      cases.map(([, [reference, ...args]]) =>
        scan(reference ?? '', ['--scanners', 'vuln', '-f', 'json', ...args]),
      ),
    );
    cases.forEach(([what, , expected], index) => {
      assert.equal(results[index]?.code, expected, `${what}: ${results[index]?.stderr}`);
    });
    assert.match(results[6]?.stderr ?? '', /drydock: error \[not_found/);
  });
});

describe('JUnit XML', () => {
  let root: XmlElement;
  let result: CliResult;

  before(async () => {
    result = await scan(images.vulnerable, [
      '--scanners',
      'vuln,secret',
      '-f',
      'junit',
      '--severity',
      'MEDIUM,HIGH,CRITICAL',
      '--exit-code',
      '4',
    ]);
    root = parseXml(result.stdout);
  });

  it('is well formed, one suite per risk type, with totals that add up', () => {
    assert.equal(result.code, 4, result.stderr);
    assert.equal(root.name, 'testsuites');
    const suites = elementsNamed(root, 'testsuite');
    assert.deepEqual(
      suites.map((suite) => suite.attributes['name']),
      ['vulnerabilities', 'secrets'],
    );
    for (const suite of suites) {
      const cases = elementsNamed(suite, 'testcase');
      assert.equal(Number(suite.attributes['tests']), cases.length);
      assert.equal(
        Number(suite.attributes['failures']),
        cases.filter((entry) => elementsNamed(entry, 'failure').length > 0).length,
      );
    }
    assert.equal(Number(root.attributes['failures']), 3);
    assert.equal(Number(root.attributes['tests']), 3);
  });

  it('has one failing test case per finding at or above the threshold, escaped and readable', () => {
    const [vulnerabilities, secrets] = elementsNamed(root, 'testsuite');
    assert.ok(vulnerabilities && secrets);
    const names = elementsNamed(vulnerabilities, 'testcase').map((entry) => entry.attributes['name']);
    assert.deepEqual(names.sort(), [
      'ALPINE-CVE-2024-0727 in libcrypto3 3.1.4-r0',
      'GHSA-35jh-r3h4-6jhm in lodash 4.17.20',
    ]);
    const lodash = elementsNamed(vulnerabilities, 'testcase').find((entry) =>
      entry.attributes['name']?.startsWith('GHSA'),
    );
    const failure = lodash && elementsNamed(lodash, 'failure')[0];
    assert.equal(failure?.attributes['type'], 'critical');
    assert.equal(failure?.attributes['message'], 'CRITICAL GHSA-35jh-r3h4-6jhm (fixed in 4.17.21)');
    assert.match(failure?.text ?? '', /Command Injection in lodash <template>/);
    assert.equal(lodash?.attributes['classname'], 'drydock.vulnerabilities');
    const [secret] = elementsNamed(secrets, 'testcase');
    assert.equal(secret?.attributes['file'], 'app/config/<prod & "eu">.env');
    assert.ok(!result.stdout.includes(fakeToken), 'the secret itself never reaches the report');
  });

  it('is one passing test case per risk type when nothing fails', async () => {
    const clean = await scan(images.clean, ['--scanners', 'vuln,secret', '-f', 'junit', '--exit-code', '4']);
    assert.equal(clean.code, 0, clean.stderr);
    const document = parseXml(clean.stdout);
    assert.deepEqual(
      elementsNamed(document, 'testcase').map((entry) => [entry.attributes['name'], entry.children.length]),
      [
        ['no vulnerabilities findings', 0],
        ['no secrets findings', 0],
      ],
    );
    assert.equal(document.attributes['failures'], '0');
  });

  it('stays well formed when names and texts hold markup, control characters and lone surrogates', async () => {
    const json = await scan(images.vulnerable, ['--scanners', 'vuln', '-f', 'json']);
    const report = JSON.parse(json.stdout) as ScanReport;
    const [image] = report.images;
    const [finding] = image?.vulnerabilities ?? [];
    assert.ok(image && finding);
    const hostile = 'a\u0000b\u0007c\uD800d]]>e</failure><x a="1">&amp;\t\r\n\uFFFE';
    const changed: ScanReport = {
      ...report,
      images: [
        {
          ...image,
          vulnerabilities: [{ ...finding, summary: hostile, package: { ...finding.package, path: hostile } }],
        },
      ],
    };
    const document = parseXml(formatJunit(changed));
    const [testCase] = elementsNamed(document, 'testcase');
    assert.equal(
      testCase?.attributes['file'],
      'a\uFFFDb\uFFFDc\uFFFDd]]>e</failure><x a="1">&amp;\t\r\n\uFFFD',
    );
    assert.match(elementsNamed(document, 'failure')[0]?.text ?? '', /d\]\]>e<\/failure><x a="1">&amp;/);
  });

  it('refuses documents that are not well formed (the checker is strict)', () => {
    for (const bad of [
      '<a><b></a>',
      '<a x="1" x="2"/>',
      '<a>&bogus;</a>',
      '<a>1 < 2</a>',
      '<a/><b/>',
      '<a x="<"/>',
    ]) {
      assert.throws(() => parseXml(bad), Error, bad);
    }
  });
});

describe('JSON Schema of the JSON format', () => {
  it('is the schema the ScanReport type generates (regenerate with scripts/generate-report-schema.ts --write)', async () => {
    // Compared as JSON, so the committed file may be reformatted (prettier) without failing.
    assert.deepEqual(JSON.parse(await readFile(reportSchemaPath, 'utf8')), JSON.parse(reportSchemaText()));
  });

  it('validates real reports of several images and scanner sets', async () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    (ajvFormats as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default(ajv);
    const validate = ajv.compile(reportJsonSchema());
    const runs = await Promise.all([
      scan(images.clean, ['-f', 'json']),
      scan(images.low, ['-f', 'json', '--scanners', 'vuln,inventory']),
      scan(images.vulnerable, ['-f', 'json', '--scanners', 'vuln,secret,baseline,compliance,inventory']),
    ]);
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout) as ScanReport;
      const valid = validate(report);
      assert.ok(valid, `${report.artifact.name}: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
    }
    const full = JSON.parse(runs[2]?.stdout ?? '{}') as ScanReport;
    assert.ok((full.images[0]?.secrets?.length ?? 0) > 0 && full.images[0]?.baseline !== undefined);
  });

  it('refuses a report with a field it does not describe', () => {
    const ajv = new Ajv2020({ strict: true });
    (ajvFormats as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default(ajv);
    const validate = ajv.compile(reportJsonSchema());
    const report = {
      schemaVersion: 1,
      tool: { name: 'drydock', version: '0.1.0' },
      createdAt: '2024-01-01T00:00:00Z',
      artifact: { name: 'x', kind: 'registry', mediaType: 'm', platforms: [] },
      images: [],
    };
    assert.ok(validate(report), JSON.stringify(validate.errors));
    assert.equal(validate({ ...report, extra: true }), false);
  });
});
