import type { SecretRuleSet } from '../../analyzer/secret/rule-set.ts';
import type { BaselineCheckResult } from './check-result.ts';
import { historyEvidence, historyLocations } from './history-evidence.ts';
import type { RunStep } from './history-run-steps.ts';
import { unwrapCommand } from './history-shell-commands.ts';

/** Whether a RUN runs a command through sudo (installing the sudo package does not count). */
export function usesSudo(run: RunStep): boolean {
  return run.commands.some((command) => unwrapCommand(command.words).wrappers.includes('sudo'));
}

/**
 * Drydock (after Docker's Dockerfile best practices): no sudo in build steps. Build steps run as the
 * USER in force, so sudo there means the image ships a user allowed to become root, and its
 * unpredictable TTY and signal handling breaks builds; switch with USER root instead.
 */
export function sudoCheck(runs: readonly RunStep[], rules: SecretRuleSet): BaselineCheckResult {
  const found = runs.filter(usesSudo).map((run) => run.step);
  return {
    id: 'drydock-sudo-in-run',
    title: 'No sudo in build steps',
    area: 'build-history',
    severity: 'medium',
    standard: 'Drydock',
    result: found.length > 0 ? 'fail' : 'pass',
    current: found.length > 0 ? `sudo in ${historyLocations(found)}` : 'no sudo in build steps',
    suggested: 'USER root for the privileged steps, then USER <app> again',
    remediation:
      'Drop sudo: run privileged build steps after USER root and switch back to the unprivileged user afterwards; remove the sudo package and sudoers entries from the image.',
    evidence: found.map((step) => historyEvidence(rules, step)),
  };
}
