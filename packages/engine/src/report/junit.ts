import { formatPlatform } from '../image/platform.ts';
import type { ImageReport, ScanReport } from '../scan/result.ts';
import { xmlAttribute, xmlText } from './xml-escape.ts';

/**
 * The risk types a JUnit report has a test suite for, in the order they are written. A risk type
 * that was not scanned has no suite, so a report never claims a check that did not run.
 */
export const junitSuites = ['vulnerabilities', 'secrets', 'malware', 'baseline', 'compliance'] as const;

export type JunitSuite = (typeof junitSuites)[number];

/** One test case: a finding that fails the gate, a finding that could not be judged, or a pass. */
interface TestCase {
  readonly name: string;
  readonly file?: string;
  readonly outcome:
    | { readonly kind: 'failure'; readonly type: string; readonly message: string; readonly detail: string }
    | { readonly kind: 'skipped'; readonly message: string }
    | { readonly kind: 'passed' };
}

function vulnerabilityCases(image: ImageReport): TestCase[] | undefined {
  if (image.vulnerabilities === undefined) return undefined;
  return image.vulnerabilities.map((finding) => {
    const name = `${finding.id} in ${finding.package.name} ${finding.installedVersion}`;
    if (finding.status === 'unknown') {
      return {
        name,
        file: finding.package.path,
        outcome: {
          kind: 'skipped',
          message: `could not be evaluated: ${finding.evidence.reason ?? 'unknown version'}`,
        },
      };
    }
    const fix =
      finding.fixedVersions.length > 0 ? `fixed in ${finding.fixedVersions.join(', ')}` : 'no fix yet';
    return {
      name,
      file: finding.package.path,
      outcome: {
        kind: 'failure',
        type: finding.severity,
        message: `${finding.severity.toUpperCase()} ${finding.id} (${fix})`,
        detail: [
          finding.summary ?? finding.description ?? '',
          `package: ${finding.package.purl}`,
          `path: ${finding.package.path}`,
          `layer: ${finding.package.layer.index}${finding.package.layer.createdBy ? ` (${finding.package.layer.createdBy})` : ''}`,
          finding.aliases.length > 0 ? `aliases: ${finding.aliases.join(', ')}` : '',
          ...finding.references.slice(0, 5),
        ]
          .filter((line) => line !== '')
          .join('\n'),
      },
    };
  });
}

function secretCases(image: ImageReport): TestCase[] | undefined {
  return image.secrets?.map((secret) => ({
    name: `${secret.ruleId} in ${secret.path}:${secret.line}`,
    file: secret.path,
    outcome: {
      kind: 'failure',
      type: secret.severity,
      message: `${secret.severity.toUpperCase()} ${secret.title}`,
      detail: [
        `excerpt (masked): ${secret.excerpt}`,
        secret.layer ? `layer: ${secret.layer.index}` : `location: ${secret.location}`,
        secret.inFinalFilesystem ? '' : 'deleted or replaced by a later layer, still readable in its layer',
      ]
        .filter((line) => line !== '')
        .join('\n'),
    },
  }));
}

function malwareCases(image: ImageReport): TestCase[] | undefined {
  return image.malware?.map((found) => ({
    name: `${found.signature} in ${found.path}`,
    file: found.path,
    outcome: {
      kind: 'failure',
      type: found.severity,
      message: `CRITICAL malware ${found.signature} (${found.engine})`,
      detail: `sha256: ${found.sha256}\nlayer: ${found.layer.index}\nsource: ${found.source}`,
    },
  }));
}

/** Baseline checks are a fixed list: passed ones are passing test cases, not-applicable ones skipped. */
function baselineCases(image: ImageReport): TestCase[] | undefined {
  return image.baseline?.checks.map((check) => {
    const name = `${check.id} ${check.title}`;
    if (check.result === 'pass') return { name, outcome: { kind: 'passed' } };
    if (check.result !== 'fail') return { name, outcome: { kind: 'skipped', message: 'not applicable' } };
    return {
      name,
      ...(check.evidence[0] ? { file: check.evidence[0].location } : {}),
      outcome: {
        kind: 'failure',
        type: check.severity,
        message: `${check.severity.toUpperCase()} ${check.title}`,
        detail: [
          check.current !== undefined ? `current: ${check.current}` : '',
          check.suggested !== undefined ? `suggested: ${check.suggested}` : '',
          `remediation: ${check.remediation}`,
          ...check.evidence.map(
            (item) => `${item.location}${item.line !== undefined ? `:${item.line}` : ''}: ${item.detail}`,
          ),
        ]
          .filter((line) => line !== '')
          .join('\n'),
      },
    };
  });
}

function complianceCases(image: ImageReport): TestCase[] | undefined {
  return image.compliance?.findings.map((finding) => ({
    name: `${finding.rule} ${finding.software}${finding.version ? ` ${finding.version}` : ''}`,
    file: finding.path,
    outcome: {
      kind: 'failure',
      type: finding.severity,
      message: `${finding.severity.toUpperCase()} ${finding.type}: ${finding.reason}`,
      detail: [finding.purl ?? '', `path: ${finding.path}`].filter((line) => line !== '').join('\n'),
    },
  }));
}

const casesOf: Readonly<Record<JunitSuite, (image: ImageReport) => TestCase[] | undefined>> = {
  vulnerabilities: vulnerabilityCases,
  secrets: secretCases,
  malware: malwareCases,
  baseline: baselineCases,
  compliance: complianceCases,
};

function testCaseXml(suite: string, testCase: TestCase): string {
  const attributes =
    `name="${xmlAttribute(testCase.name)}" classname="${xmlAttribute(`drydock.${suite}`)}"` +
    (testCase.file !== undefined ? ` file="${xmlAttribute(testCase.file)}"` : '');
  const { outcome } = testCase;
  if (outcome.kind === 'passed') return `    <testcase ${attributes}/>`;
  if (outcome.kind === 'skipped') {
    return `    <testcase ${attributes}>\n      <skipped message="${xmlAttribute(outcome.message)}"/>\n    </testcase>`;
  }
  return (
    `    <testcase ${attributes}>\n` +
    `      <failure message="${xmlAttribute(outcome.message)}" type="${xmlAttribute(outcome.type)}">${xmlText(outcome.detail)}</failure>\n` +
    `    </testcase>`
  );
}

/**
 * The report as JUnit XML, the test-report format Jenkins, GitLab and GitHub test-report actions
 * read (the Ant `junit` task's layout: `testsuites` > `testsuite` > `testcase` with `failure` or
 * `skipped`). One suite per risk type scanned (per platform when several were scanned); one
 * failing test case per finding left after `--severity` and the other filters, that is per finding
 * that makes `--exit-code` fail the step. A scanned risk type without findings is one passing test
 * case, so the dashboard shows the check ran. Vulnerabilities that could not be evaluated are
 * skipped test cases; baseline checks keep their pass and not-applicable results.
 */
export function formatJunit(report: ScanReport): string {
  const several = report.images.length > 1;
  const suites: string[] = [];
  let total = 0;
  let failed = 0;
  let skipped = 0;
  for (const image of report.images) {
    for (const suite of junitSuites) {
      const found = casesOf[suite](image);
      if (found === undefined) continue;
      const cases: readonly TestCase[] =
        found.length > 0 ? found : [{ name: `no ${suite} findings`, outcome: { kind: 'passed' } }];
      const failures = cases.filter((entry) => entry.outcome.kind === 'failure').length;
      const skips = cases.filter((entry) => entry.outcome.kind === 'skipped').length;
      total += cases.length;
      failed += failures;
      skipped += skips;
      const name = several ? `${suite} (${formatPlatform(image.platform)})` : suite;
      suites.push(
        `  <testsuite name="${xmlAttribute(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skips}" timestamp="${xmlAttribute(report.createdAt)}">\n` +
          `    <properties>\n` +
          `      <property name="image" value="${xmlAttribute(report.artifact.name)}"/>\n` +
          `      <property name="platform" value="${xmlAttribute(formatPlatform(image.platform))}"/>\n` +
          (image.manifestDigest
            ? `      <property name="digest" value="${xmlAttribute(image.manifestDigest)}"/>\n`
            : '') +
          `    </properties>\n` +
          cases.map((entry) => `${testCaseXml(suite, entry)}\n`).join('') +
          `  </testsuite>`,
      );
    }
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${xmlAttribute(`drydock ${report.artifact.name}`)}" tests="${total}" failures="${failed}" errors="0" skipped="${skipped}">\n` +
    suites.map((suite) => `${suite}\n`).join('') +
    `</testsuites>\n`
  );
}
