import type { SecretRuleSet } from '../../analyzer/secret/rule-set.ts';
import type { BaselineCheckResult } from './check-result.ts';
import { historyEvidence, historyLocations } from './history-evidence.ts';
import { packageCommand } from './history-package-command.ts';
import type { RunStep } from './history-run-steps.ts';
import { unwrapCommand } from './history-shell-commands.ts';

/** Whether one RUN refreshes package indexes without installing anything from them. */
export function updatesWithoutInstall(run: RunStep): boolean {
  const actions = run.commands.map((command) => packageCommand(unwrapCommand(command.words).command)?.action);
  return actions.includes('update') && !actions.includes('install');
}

/**
 * CIS Docker Benchmark 1.6.0 §4.7: no `apt-get update`, `apk update`, `yum makecache`, `dnf makecache`
 * or `zypper refresh` alone in a RUN. The builder caches that layer, so a later install reads stale
 * indexes (missing security updates) or fails when the mirror has moved on.
 */
export function updateWithoutInstallCheck(
  runs: readonly RunStep[],
  rules: SecretRuleSet,
): BaselineCheckResult {
  const found = runs.filter(updatesWithoutInstall).map((run) => run.step);
  return {
    id: 'cis-4.7-update-without-install',
    title: 'Package indexes updated in the same instruction as the install',
    area: 'build-history',
    severity: 'medium',
    standard: 'CIS Docker Benchmark 1.6.0 §4.7',
    result: found.length > 0 ? 'fail' : 'pass',
    current:
      found.length > 0 ? `update without install in ${historyLocations(found)}` : 'no update alone in a RUN',
    suggested:
      'RUN apt-get update && apt-get install -y --no-install-recommends <packages> && rm -rf /var/lib/apt/lists/*',
    remediation:
      'Join the index update and the install in one RUN instruction (apt-get update && apt-get install ..., apk add --no-cache ..., dnf install ...), so they are cached together.',
    evidence: found.map((step) => historyEvidence(rules, step)),
  };
}
