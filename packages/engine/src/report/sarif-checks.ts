import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import type { BaselineCheckResult } from '../check/baseline/check-result.ts';
import type { ComplianceFinding } from '../check/compliance/compliance-finding.ts';
import { imageRootBaseId, sarifLevels, severityScores, type SarifContext } from './sarif-shared.ts';

/** A SARIF location: a file of the image, or (for the configuration) the image alone. */
function locationOf(location: string, line: number | undefined, context: SarifContext): Sarif.Location {
  const image = { kind: 'image', name: context.imageName, fullyQualifiedName: context.imageName };
  if (location.startsWith('config:') || location.startsWith('image:'))
    return { logicalLocations: [image, { kind: 'configuration', name: location }] };
  return {
    physicalLocation: {
      artifactLocation: { uri: location, uriBaseId: imageRootBaseId },
      ...(line === undefined ? {} : { region: { startLine: line } }),
    },
    logicalLocations: [image],
  };
}

function fingerprint(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

export function baselineRuleId(check: BaselineCheckResult): string {
  return `baseline/${check.id}`;
}

export function baselineRule(check: BaselineCheckResult): Sarif.ReportingDescriptor {
  return {
    id: baselineRuleId(check),
    name: check.id,
    shortDescription: { text: check.title },
    fullDescription: { text: `${check.title} (${check.standard})` },
    help: {
      text: check.remediation,
      markdown: `**${check.title}** (${check.standard})\n\n${check.remediation}`,
    },
    defaultConfiguration: { level: sarifLevels[check.severity] },
    properties: {
      'security-severity': severityScores[check.severity],
      tags: ['baseline', 'security', check.area, check.severity.toUpperCase()],
    },
  };
}

/** A failed baseline check: one result, located at its first piece of evidence. */
export function baselineResult(
  check: BaselineCheckResult,
  ruleIndex: number,
  context: SarifContext,
): Sarif.Result {
  const evidence = check.evidence.slice(0, 20);
  const first = evidence[0];
  return {
    ruleId: baselineRuleId(check),
    ruleIndex,
    kind: 'fail',
    level: sarifLevels[check.severity],
    message: {
      text: `${check.title}: ${check.current ?? 'fails'}${check.suggested ? ` (expected ${check.suggested})` : ''}.`,
    },
    locations: [locationOf(first?.location ?? 'config:', first?.line, context)],
    ...(evidence.length > 1
      ? {
          relatedLocations: evidence
            .slice(1)
            .map((item, id) => ({ id, ...locationOf(item.location, item.line, context) })),
        }
      : {}),
    partialFingerprints: { 'drydockBaseline/v1': fingerprint([context.imageName, check.id]) },
    properties: {
      standard: check.standard,
      area: check.area,
      evidence: evidence.map((item) => `${item.location}${item.line ? `:${item.line}` : ''}: ${item.detail}`),
    },
  };
}

export function complianceRuleId(finding: ComplianceFinding): string {
  return `compliance/${finding.rule}`;
}

export function complianceRule(finding: ComplianceFinding): Sarif.ReportingDescriptor {
  const text = `Software compliance: ${finding.rule}`;
  return {
    id: complianceRuleId(finding),
    name: finding.rule,
    shortDescription: { text },
    fullDescription: { text: finding.reason },
    defaultConfiguration: { level: sarifLevels[finding.severity] },
    properties: {
      'security-severity': severityScores[finding.severity],
      tags: ['compliance', finding.type, finding.severity.toUpperCase()],
    },
  };
}

export function complianceResult(
  finding: ComplianceFinding,
  ruleIndex: number,
  context: SarifContext,
): Sarif.Result {
  const software = `${finding.software}${finding.version ? ` ${finding.version}` : ''}`;
  return {
    ruleId: complianceRuleId(finding),
    ruleIndex,
    kind: 'fail',
    level: sarifLevels[finding.severity],
    message: { text: `${software}: ${finding.reason}` },
    locations: [locationOf(finding.path, undefined, context)],
    partialFingerprints: {
      'drydockCompliance/v1': fingerprint([context.imageName, finding.rule, finding.software, finding.path]),
    },
    properties: {
      type: finding.type,
      software: finding.software,
      ...(finding.version ? { version: finding.version } : {}),
      ...(finding.purl ? { purl: finding.purl } : {}),
      ...(finding.layerIndex === undefined ? {} : { layerIndex: finding.layerIndex }),
    },
  };
}
