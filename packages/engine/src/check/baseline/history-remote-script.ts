import type { SecretRuleSet } from '../../analyzer/secret/rule-set.ts';
import type { BaselineCheckResult } from './check-result.ts';
import { historyEvidence, historyLocations } from './history-evidence.ts';
import type { RunStep } from './history-run-steps.ts';
import { commandName, unwrapCommand } from './history-shell-commands.ts';

const downloaders = new Set(['curl', 'wget']);
/** Shells and script interpreters that run what arrives on their standard input. */
const interpreters = /^(?:sh|bash|ash|dash|zsh|ksh|mksh|python[\d.]*|perl|ruby|node|php)$/;
/**
 * Downloads run without being saved: `sh -c "$(curl ...)"`, `bash <(wget -qO- ...)`, `eval "$(curl ...)"`,
 * `. <(curl ...)`. Read on the raw script, since the substitution sits inside a quoted word.
 */
const substitutedDownload =
  /(?:^|[\s;&|(])(?:(?:\S*\/)?(?:sh|bash|ash|dash|zsh|ksh)\b[^;&|\n]*?|eval\s+["']?|(?:source|\.)\s+)(?:\$\(|<\(|`)\s*(?:\S*\/)?(?:curl|wget)\b/;

/** Whether a RUN pipes a download into a shell or interpreter, or runs one through a substitution. */
export function runsRemoteScript(run: RunStep): boolean {
  if (substitutedDownload.test(run.step.instruction.arguments)) return true;
  const downloadsAt = new Map<number, number>();
  for (const command of run.commands) {
    const name = commandName(unwrapCommand(command.words).command[0]);
    const firstDownload = downloadsAt.get(command.pipeline);
    if (firstDownload !== undefined && command.stage > firstDownload && interpreters.test(name)) return true;
    if (downloaders.has(name) && firstDownload === undefined)
      downloadsAt.set(command.pipeline, command.stage);
  }
  return false;
}

/**
 * Drydock: no `curl ... | sh` or `wget ... | bash` (nor a download run through `$(...)` or `<(...)`).
 * What runs is whatever the server sends at build time, unverified, and it leaves no file to inspect.
 */
export function remoteScriptCheck(runs: readonly RunStep[], rules: SecretRuleSet): BaselineCheckResult {
  const found = runs.filter(runsRemoteScript).map((run) => run.step);
  return {
    id: 'drydock-remote-script-piped-to-shell',
    title: 'No downloaded script piped into a shell',
    area: 'build-history',
    severity: 'high',
    standard: 'Drydock',
    result: found.length > 0 ? 'fail' : 'pass',
    current:
      found.length > 0
        ? `download piped into a shell in ${historyLocations(found)}`
        : 'no download piped into a shell',
    suggested: 'download to a file, verify its checksum or signature, then run it',
    remediation:
      'Download the script or installer to a file, check it against a published SHA-256 or signature (echo "<sha256>  file" | sha256sum -c -), then run it; better, install the software from a package repository.',
    evidence: found.map((step) => historyEvidence(rules, step)),
  };
}
