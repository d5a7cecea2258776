import { redactInstruction } from '../../analyzer/secret/image-config.ts';
import type { SecretRuleSet } from '../../analyzer/secret/rule-set.ts';
import type { BaselineEvidence } from './check-result.ts';
import type { HistoryStep } from './history-instruction.ts';

/** Longest detail shown for one piece of evidence: enough to recognise an instruction. */
export const maxDetailLength = 200;

/** `text` on one line, cut to `maxDetailLength` characters with an ellipsis when longer. */
export function truncateDetail(text: string): string {
  const line = text.replace(/\s*\r?\n\s*/g, ' ').trim();
  return line.length <= maxDetailLength ? line : `${line.slice(0, maxDetailLength - 1)}…`;
}

/**
 * A history entry as evidence: `config:history/N` and its instruction with secrets masked. Masking
 * comes before cutting, so a secret cut in half still looks like one to the rules.
 */
export function historyEvidence(rules: SecretRuleSet, step: HistoryStep): BaselineEvidence {
  return {
    location: `config:history/${step.index}`,
    detail: truncateDetail(redactInstruction(rules, step.createdBy.trim())),
  };
}

/** `config:history/3, config:history/7`: where a check found something, for its `current` value. */
export function historyLocations(steps: readonly HistoryStep[]): string {
  return steps.map((step) => `config:history/${step.index}`).join(', ');
}
