import { redactEnvEntry } from '../../analyzer/secret/image-config.ts';
import type { SecretRuleSet } from '../../analyzer/secret/rule-set.ts';
import type { BaselineCheckResult, BaselineEvidence } from './check-result.ts';
import { historyEvidence, truncateDetail } from './history-evidence.ts';
import { packageCommand } from './history-package-command.ts';
import type { RunStep } from './history-run-steps.ts';
import { commandName, unwrapCommand, type ShellCommand } from './history-shell-commands.ts';

/** curl's short options that take a value: in a cluster (`-sSLo`), what follows one of them is its value. */
const curlValued = new Set('AbcCdDeEFHKmoPQrtTuUwxXyYz'.split(''));

/** `-k` alone or in a cluster (`-fsSLk`), before any option that takes a value. */
function curlClusterInsecure(word: string): boolean {
  if (!/^-[A-Za-z0-9#:]+$/.test(word)) return false;
  for (const letter of word.slice(1)) {
    if (letter === 'k') return true;
    if (curlValued.has(letter)) return false;
  }
  return false;
}

/**
 * Environment variables that switch verification off, and the values that do. Git skips verification
 * when GIT_SSL_NO_VERIFY is set at all.
 */
const bypassVariables: readonly { name: RegExp; value: RegExp; label: string }[] = [
  { name: /^GIT_SSL_NO_VERIFY$/, value: /^/, label: 'GIT_SSL_NO_VERIFY set' },
  { name: /^NODE_TLS_REJECT_UNAUTHORIZED$/, value: /^0$/, label: 'NODE_TLS_REJECT_UNAUTHORIZED=0' },
  { name: /^PYTHONHTTPSVERIFY$/, value: /^0$/, label: 'PYTHONHTTPSVERIFY=0' },
  { name: /^NPM_CONFIG_STRICT_SSL$/i, value: /^(?:false|0|no)$/i, label: 'npm strict-ssl off' },
  { name: /^YARN_ENABLE_STRICT_SSL$/, value: /^(?:false|0)$/i, label: 'yarn strict SSL off' },
  { name: /^PIP_TRUSTED_HOST$/, value: /./, label: 'PIP_TRUSTED_HOST set' },
];

/** The bypass an environment assignment (`NAME=value`) makes, if any. */
export function environmentBypass(entry: string): string | undefined {
  const equals = entry.indexOf('=');
  if (equals <= 0) return undefined;
  const name = entry.slice(0, equals);
  const value = entry.slice(equals + 1);
  return bypassVariables.find((variable) => variable.name.test(name) && variable.value.test(value))?.label;
}

/** Settings written into configuration files by a script (`echo insecure >> ~/.curlrc`, apt sources). */
const scriptPatterns: readonly { pattern: RegExp; label: string }[] = [
  { pattern: /\binsecure\b[^\n;&|]*>>?\s*\S*\.curlrc\b/, label: 'curl insecure in .curlrc' },
  { pattern: /\bcheck_certificate\s*=\s*off\b/i, label: 'wget check_certificate = off' },
  { pattern: /\[[^\]\n]*\btrusted=yes\b[^\]\n]*\]/, label: 'apt source marked trusted=yes' },
  { pattern: /\bVerify-(?:Peer|Host)["'\s=]+"?false\b/i, label: 'apt Verify-Peer false' },
  { pattern: /(?:^|[\s'"])sslverify\s*=\s*(?:0|false|no)\b/i, label: 'yum/dnf sslverify off' },
];

const gitSslVerifyOff = /\bhttp\.(?:\S*\.)?sslverify(?:=|\s+)["']?(?:false|0|no|off)\b/i;
const strictSslOff = /(?:^|\s)(?:--)?strict-ssl(?:=|\s+)["']?false\b|\benableStrictSsl\s+["']?false\b/;

/** The verification bypasses in one command (wrappers such as sudo removed). */
export function commandBypasses(command: ShellCommand): string[] {
  const found: string[] = [];
  const words = unwrapCommand(command.words).command;
  const name = commandName(words[0]);
  const line = words.join(' ');
  if (name === 'curl') {
    if (
      words.some((word) => word === '--insecure' || word === '--proxy-insecure' || curlClusterInsecure(word))
    )
      found.push('curl --insecure');
  } else if (name === 'wget') {
    if (words.includes('--no-check-certificate')) found.push('wget --no-check-certificate');
  } else if (name === 'git') {
    if (gitSslVerifyOff.test(line)) found.push('git http.sslVerify false');
  } else if (name === 'npm' || name === 'yarn' || name === 'pnpm') {
    if (strictSslOff.test(line)) found.push(`${name} strict-ssl false`);
  }
  const manager = packageCommand(words)?.manager;
  if (manager === 'pip' && words.some((word) => /^(?:--)?(?:\w+\.)?trusted-host(?:=|$)/.test(word)))
    found.push('pip --trusted-host');
  if (
    manager === 'apt' &&
    words.some((word) => /^--allow-(?:unauthenticated|insecure-repositories)$/.test(word))
  )
    found.push('apt --allow-unauthenticated');
  if (manager === 'apk' && words.includes('--allow-untrusted')) found.push('apk --allow-untrusted');
  if ((manager === 'yum' || manager === 'dnf') && words.includes('--nogpgcheck'))
    found.push(`${manager} --nogpgcheck`);
  // Assignments before the command, after `export` or `env`.
  for (const word of [...command.assignments, ...command.words]) {
    const bypass = environmentBypass(word);
    if (bypass !== undefined) found.push(bypass);
  }
  return found;
}

/** Every verification bypass in a RUN: its commands, its build arguments, what it writes into files. */
export function runBypasses(run: RunStep): string[] {
  const found = run.commands.flatMap(commandBypasses);
  for (const arg of run.step.instruction.buildArguments) {
    const bypass = environmentBypass(`${arg.name}=${arg.value}`);
    if (bypass !== undefined) found.push(bypass);
  }
  for (const { pattern, label } of scriptPatterns)
    if (pattern.test(run.step.instruction.arguments)) found.push(label);
  return [...new Set(found)];
}

/**
 * Drydock: no step switches off TLS certificate or package signature verification (curl -k, wget
 * --no-check-certificate, pip --trusted-host, npm strict-ssl false, git http.sslVerify=false,
 * GIT_SSL_NO_VERIFY, NODE_TLS_REJECT_UNAUTHORIZED=0, apt trusted=yes, apk --allow-untrusted, yum
 * --nogpgcheck), and no ENV of the image keeps one switched off for the running container. A
 * machine in the middle can then replace what the build downloads.
 */
export function tlsVerificationCheck(
  runs: readonly RunStep[],
  env: readonly string[],
  rules: SecretRuleSet,
): BaselineCheckResult {
  const evidence: BaselineEvidence[] = [];
  const reasons: string[] = [];
  for (const run of runs) {
    const bypasses = runBypasses(run);
    if (bypasses.length === 0) continue;
    evidence.push(historyEvidence(rules, run.step));
    reasons.push(`${bypasses.join(', ')} in config:history/${run.step.index}`);
  }
  for (const entry of env) {
    const bypass = environmentBypass(entry);
    if (bypass === undefined) continue;
    const name = entry.slice(0, entry.indexOf('='));
    evidence.push({ location: `config:env/${name}`, detail: truncateDetail(redactEnvEntry(rules, entry)) });
    reasons.push(`${bypass} in config:env/${name}`);
  }
  return {
    id: 'drydock-tls-verification-disabled',
    title: 'TLS and package signature verification left on',
    area: 'build-history',
    severity: 'high',
    standard: 'Drydock',
    result: evidence.length > 0 ? 'fail' : 'pass',
    current: reasons.length > 0 ? reasons.join('; ') : 'verification left on',
    suggested: 'verification on; custom certificate authorities added to the trust store',
    remediation:
      'Remove the flags and variables that skip verification. For a private certificate authority, add its certificate to the image trust store (update-ca-certificates) or point the tool at it (curl --cacert, pip --cert, npm cafile, git http.sslCAInfo).',
    evidence,
  };
}
