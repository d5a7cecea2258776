/** How the account checks turn what they found into a result: pass when nothing failed. */
import type { BaselineCheckResult, BaselineEvidence } from './check-result.ts';

/** What a check is, apart from its outcome. */
export type CheckDefinition = Omit<BaselineCheckResult, 'result' | 'current' | 'evidence'>;

export const cisDebian12 = 'CIS Debian Linux 12 Benchmark 1.1.0';

export function evidence(
  entry: { readonly path: string; readonly line: number },
  detail: string,
): BaselineEvidence {
  return { location: entry.path, line: entry.line, detail };
}

export function judge(
  check: CheckDefinition,
  failures: readonly BaselineEvidence[],
  current: { readonly pass: string; readonly fail: string },
): BaselineCheckResult {
  return failures.length === 0
    ? { ...check, result: 'pass', current: current.pass, evidence: [] }
    : { ...check, result: 'fail', current: current.fail, evidence: failures };
}

export function notApplicable(check: CheckDefinition, current: string): BaselineCheckResult {
  return { ...check, result: 'not_applicable', current, evidence: [] };
}
