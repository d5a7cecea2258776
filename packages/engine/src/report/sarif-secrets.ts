import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import type { SecretFinding } from '../scan/result.ts';
import { imageRootBaseId, sarifLevels, severityScores, type SarifContext } from './sarif-shared.ts';

/** The SARIF rule of a secret rule: ids are prefixed so they never collide with advisory ids. */
export function secretRuleId(finding: SecretFinding): string {
  return `secret/${finding.ruleId}`;
}

export function secretRule(finding: SecretFinding): Sarif.ReportingDescriptor {
  return {
    id: secretRuleId(finding),
    name: finding.ruleId,
    shortDescription: { text: finding.title },
    fullDescription: { text: `${finding.title} (${finding.category})` },
    help: {
      text: `${finding.title}. Remove the secret from the image (and from every layer that holds it), then revoke and rotate it: anyone who can pull the image can read it.`,
      markdown: `**${finding.title}**\n\nRemove the secret from the image (and from every layer that holds it), then revoke and rotate it: anyone who can pull the image can read it.`,
    },
    defaultConfiguration: { level: sarifLevels[finding.severity] },
    properties: {
      'security-severity': severityScores[finding.severity],
      tags: ['secret', 'security', finding.category, finding.severity.toUpperCase()],
    },
  };
}

/** One result per secret, at its file and line; the message holds only the masked excerpt. */
export function secretResult(finding: SecretFinding, ruleIndex: number, context: SarifContext): Sarif.Result {
  const logical: Sarif.LogicalLocation[] = [
    { kind: 'image', name: context.imageName, fullyQualifiedName: context.imageName },
  ];
  if (finding.layer) {
    logical.push({
      kind: 'layer',
      name: `layer ${finding.layer.index + 1}`,
      fullyQualifiedName: `${context.imageName}/layer ${finding.layer.index + 1}`,
      decoratedName: finding.layer.digest,
    });
  }
  const physical: Sarif.PhysicalLocation | undefined =
    finding.location === 'file'
      ? {
          artifactLocation: { uri: finding.path, uriBaseId: imageRootBaseId },
          region: { startLine: finding.line, ...(finding.column ? { startColumn: finding.column } : {}) },
        }
      : undefined;
  const where = finding.location === 'file' ? `/${finding.path}:${finding.line}` : finding.path;
  return {
    ruleId: secretRuleId(finding),
    ruleIndex,
    kind: 'fail',
    level: sarifLevels[finding.severity],
    message: {
      text: `${finding.title} in ${where}${finding.inFinalFilesystem ? '' : ' (deleted in a later layer, still in the image)'}: ${finding.excerpt}`,
    },
    locations: [{ ...(physical ? { physicalLocation: physical } : {}), logicalLocations: logical }],
    partialFingerprints: {
      'drydockSecret/v1': createHash('sha256')
        .update(`${context.imageName}\u0000${finding.fingerprint}`)
        .digest('hex'),
    },
    properties: {
      ruleId: finding.ruleId,
      category: finding.category,
      severity: finding.severity,
      secret: finding.secret,
      location: finding.location,
      inFinalFilesystem: finding.inFinalFilesystem,
      ...(finding.layer ? { layerIndex: finding.layer.index, layerDigest: finding.layer.digest } : {}),
    },
  };
}
