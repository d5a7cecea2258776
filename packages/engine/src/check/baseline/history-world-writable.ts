import type { SecretRuleSet } from '../../analyzer/secret/rule-set.ts';
import type { BaselineCheckResult } from './check-result.ts';
import { historyEvidence, historyLocations } from './history-evidence.ts';
import type { RunStep } from './history-run-steps.ts';
import { commandName, unwrapCommand } from './history-shell-commands.ts';

/**
 * Whether a chmod mode lets everyone write: octal with the others' write bit (`777`, `0666`, `-R 777`),
 * or a symbolic clause granting `w` to `o` or `a` (`a+rwx`, `o+w`, `ugo=rwx`). A sticky world-writable
 * mode (`1777`, as /tmp has) is the safe way to share a directory and passes.
 */
export function isWorldWritableMode(mode: string): boolean {
  if (/^[0-7]{1,4}$/.test(mode)) {
    const digits = mode.padStart(4, '0');
    const others = Number(digits[3]);
    const sticky = (Number(digits[0]) & 1) === 1;
    return (others & 2) === 2 && !sticky;
  }
  return mode.split(',').some((clause) => {
    const match = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause);
    if (match === null) return false;
    const who = match[1] ?? '';
    if (!who.includes('o') && !who.includes('a')) return false;
    return [...(match[2] ?? '').matchAll(/([-+=])([rwxXstugo]*)/g)].some(
      ([, op, perms]) => op !== '-' && (perms ?? '').includes('w') && !(perms ?? '').includes('t'),
    );
  });
}

/** The mode a `chmod` command sets: its first operand that is not an option. */
function chmodMode(words: readonly string[]): string | undefined {
  for (const word of words.slice(1)) {
    if (word.startsWith('--')) continue;
    // `-R`, `-v`; but `-w` or `-rwx` is a symbolic mode removing permissions.
    if (/^-[RcfvHLP]+$/.test(word)) continue;
    return word;
  }
  return undefined;
}

/** Whether a RUN makes files world-writable. */
export function makesWorldWritable(run: RunStep): boolean {
  return run.commands.some((command) => {
    const words = unwrapCommand(command.words).command;
    if (commandName(words[0]) !== 'chmod') return false;
    const mode = chmodMode(words);
    return mode !== undefined && isWorldWritableMode(mode);
  });
}

/**
 * Drydock: no `chmod 777`, `chmod a+rwx` or other world-writable mode in a build step. Any process in
 * the container, whatever its user, can then replace those files (scripts, binaries, configuration).
 */
export function worldWritableCheck(runs: readonly RunStep[], rules: SecretRuleSet): BaselineCheckResult {
  const found = runs.filter(makesWorldWritable).map((run) => run.step);
  return {
    id: 'drydock-world-writable-chmod',
    title: 'No world-writable permissions set in a build step',
    area: 'build-history',
    severity: 'medium',
    standard: 'Drydock',
    result: found.length > 0 ? 'fail' : 'pass',
    current:
      found.length > 0 ? `world-writable chmod in ${historyLocations(found)}` : 'no world-writable chmod',
    suggested: 'chown the files to the user that writes them and keep modes such as 755 or 644',
    remediation:
      'Give write access to the one user that needs it (COPY --chown=app or chown app, chmod 755/644) instead of everyone; for a shared directory use the sticky bit (1777).',
    evidence: found.map((step) => historyEvidence(rules, step)),
  };
}
