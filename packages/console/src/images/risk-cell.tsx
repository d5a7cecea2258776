import { Flex, Tag, Tooltip } from 'antd';
import type { RepositoryImage } from '../api/image-types.ts';
import { notAssessedLabel, riskLevelColors, riskLevelLabels } from '../format/risk-level.ts';

const severityLetters = [
  ['critical', 'C'],
  ['high', 'H'],
  ['medium', 'M'],
  ['low', 'L'],
] as const;

/**
 * The image's risk level and its open findings: vulnerabilities by severity (C, H, M, L), then the
 * other risk types; counts of zero are left out so the cell reads at a glance.
 */
export function RiskCell({ image }: { readonly image: Pick<RepositoryImage, 'riskLevel' | 'riskCounts'> }) {
  if (image.riskLevel === null || image.riskCounts === null)
    return <span className="risk-not-assessed">{notAssessedLabel}</span>;
  const counts = image.riskCounts;
  const others = [
    ['Secrets', 'Sensitive information', counts.secret],
    ['Malware', 'Malicious files', counts.malware],
    ['Baseline', 'Baseline check failures', counts.baseline],
    ['Compliance', 'Software compliance findings', counts.compliance],
  ] as const;
  return (
    <Flex vertical gap={4} align="flex-start">
      <Tag color={riskLevelColors[image.riskLevel]} style={{ marginInlineEnd: 0 }}>
        {riskLevelLabels[image.riskLevel]}
      </Tag>
      <Flex gap={6} wrap className="risk-counts">
        {severityLetters
          .filter(([severity]) => counts.vulnerability[severity] > 0)
          .map(([severity, letter]) => (
            <Tooltip key={severity} title={`${riskLevelLabels[severity]} vulnerabilities`}>
              <span style={{ color: riskLevelColors[severity] }}>
                {letter} {counts.vulnerability[severity]}
              </span>
            </Tooltip>
          ))}
        {others
          .filter(([, , count]) => count > 0)
          .map(([label, title, count]) => (
            <Tooltip key={label} title={title}>
              <span>
                {label} {count}
              </span>
            </Tooltip>
          ))}
      </Flex>
    </Flex>
  );
}
