import { redactInstruction } from '../../analyzer/secret/image-config.ts';
import type { SecretRuleSet } from '../../analyzer/secret/rule-set.ts';
import type { BaselineCheckResult } from './check-result.ts';
import { truncateDetail } from './history-evidence.ts';

/**
 * CIS Docker Benchmark 1.6.0 §4.6: the image declares a HEALTHCHECK, so the runtime can tell a
 * running container from a working one. `HEALTHCHECK NONE` (test `["NONE"]`) switches off the one a
 * base image declared and counts as none; an empty test inherits nothing in a final image.
 */
export function healthcheckCheck(
  healthcheck: { readonly test: readonly string[] } | undefined,
  rules: SecretRuleSet,
): BaselineCheckResult {
  const test = healthcheck?.test ?? [];
  const disabled = test[0] === 'NONE';
  const missing = test.length === 0 || disabled;
  const shown = disabled
    ? 'HEALTHCHECK NONE'
    : missing
      ? 'HEALTHCHECK unset'
      : // The probe may carry credentials (`curl -u user:password`).
        truncateDetail(redactInstruction(rules, `HEALTHCHECK ${test.join(' ')}`));
  return {
    id: 'cis-4.6-healthcheck',
    title: 'Image declares a HEALTHCHECK',
    area: 'image-config',
    severity: 'low',
    standard: 'CIS Docker Benchmark 1.6.0 §4.6',
    result: missing ? 'fail' : 'pass',
    current: shown,
    suggested: 'HEALTHCHECK CMD <a command that exits 0 when the service works>',
    remediation:
      'Add a HEALTHCHECK instruction that probes the service (an HTTP request, a client ping) and exits non-zero when it does not answer.',
    evidence: missing ? [{ location: 'config:healthcheck', detail: shown }] : [],
  };
}
