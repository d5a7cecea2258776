import { scanImageConfig } from '../../analyzer/secret/image-config.ts';
import type { SecretRuleSet } from '../../analyzer/secret/rule-set.ts';
import type { SecretSeverity } from '../../analyzer/secret/rule.ts';
import type { ImageConfig } from '../../image/types.ts';
import type { BaselineCheckResult, BaselineSeverity } from './check-result.ts';
import { truncateDetail } from './history-evidence.ts';

const severityRank: Readonly<Record<SecretSeverity, number>> = { critical: 3, high: 2, medium: 1, low: 0 };

/**
 * CIS Docker Benchmark 1.6.0 §4.10: no secrets in the image configuration: ENV entries, labels, and
 * the build history (ARG defaults, `--build-arg` values recorded in front of RUN, tokens written in
 * commands). Found with the secret scanner's rules and its name heuristic; the evidence holds the
 * masked excerpt only. Severity is that of the worst secret found (high when none is).
 */
export function configSecretsCheck(config: ImageConfig, rules: SecretRuleSet): BaselineCheckResult {
  const matches = scanImageConfig(rules, config);
  const worst = matches.reduce<BaselineSeverity>(
    (current, match) => (severityRank[match.severity] > severityRank[current] ? match.severity : current),
    matches.length > 0 ? 'low' : 'high',
  );
  const places = [...new Set(matches.map((match) => match.path))];
  return {
    id: 'cis-4.10-secrets-in-config',
    title: 'No secrets in ENV, ARG, labels or build instructions',
    area: 'image-config',
    severity: worst,
    standard: 'CIS Docker Benchmark 1.6.0 §4.10',
    result: matches.length > 0 ? 'fail' : 'pass',
    current:
      matches.length === 0
        ? 'no secrets found'
        : `${matches.length} secret${matches.length === 1 ? '' : 's'} in ${places.join(', ')}`,
    suggested: 'secrets supplied at run time or mounted during the build, never stored in the image',
    remediation:
      'Rotate the exposed secrets. Pass build secrets with RUN --mount=type=secret instead of ARG or ENV, and give secrets to containers at run time (environment of the orchestrator, mounted files).',
    evidence: matches.map((match) => ({
      location: match.path,
      detail: truncateDetail(`${match.title}: ${match.excerpt}`),
    })),
  };
}
