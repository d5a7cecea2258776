/**
 * The weak-password result as a baseline check: one check, failed when any account's password was
 * guessed, with one piece of evidence per such account (the password masked).
 */
import type { BaselineCheckResult, BaselineEvidence } from '../baseline/check-result.ts';
import type { WeakPasswordResult } from './find-weak-passwords.ts';

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function coverage(result: WeakPasswordResult): string {
  const parts = [`${plural(result.tried, 'guess', 'guesses')} made`];
  if (result.exhausted) parts.push('the guessing budget ran out before every candidate was tried');
  if (result.unsupported.length > 0) {
    const names = result.unsupported.map((entry) => `${entry.account} (${entry.algorithm})`).join(', ');
    parts.push(`not checked, unsupported hash: ${names}`);
  }
  return parts.join('; ');
}

export function weakPasswordCheck(result: WeakPasswordResult): BaselineCheckResult {
  const evidence: BaselineEvidence[] = result.findings.map((finding) => ({
    location: 'etc/shadow',
    line: finding.line,
    detail: `${finding.account}: ${finding.algorithm}, password ${finding.password}`,
  }));
  const checked = result.tried > 0 || result.findings.length > 0;
  const outcome = result.findings.length > 0 ? 'fail' : checked ? 'pass' : 'not_applicable';
  const current =
    outcome === 'fail'
      ? `${plural(result.findings.length, 'account', 'accounts')} with a guessable password (${coverage(result)})`
      : outcome === 'pass'
        ? `no password found among the common passwords, account names and project words (${coverage(result)})`
        : result.unsupported.length > 0
          ? coverage(result)
          : undefined;
  return {
    id: 'weak-password',
    title: 'Account passwords are not common or derived from the account name',
    area: 'weak-password',
    severity: 'critical',
    standard: 'Drydock',
    result: outcome,
    ...(current === undefined ? {} : { current }),
    suggested:
      'no password hash in the image that a dictionary guesses; accounts locked (`!` or `*`) where no login is needed',
    remediation:
      'Do not bake login passwords into the image: lock the accounts (`passwd -l NAME` or `usermod -p "*" NAME`), or set a strong password at deployment from a secret store.',
    evidence,
  };
}
