/**
 * SSH server baseline checks over etc/ssh/sshd_config and what it includes. The global value of
 * a setting is the first one outside any Match block; when there is none, sshd's default applies
 * and `current` says so. A Match block that sets a failing value fails the check too (those
 * connections get it) and is named in the evidence. Without sshd_config every check is
 * `not_applicable`: there is no SSH server to configure.
 */
import { cisDebian12, type CheckDefinition } from './accounts-check-outcome.ts';
import type { BaselineCheckResult, BaselineEvidence } from './check-result.ts';
import { algorithmWeakness, resolveAlgorithms, type AlgorithmKind } from './sshd-algorithms.ts';
import {
  globalDirective,
  matchDirectives,
  parseSshdConfig,
  sshdConfigPath,
  type SshdConfig,
  type SshdDirective,
} from './sshd-config.ts';
import { opensshDefaultsVersion, sshdDefaults } from './sshd-defaults.ts';
import type { SystemFiles } from './system-files.ts';

interface SettingCheck {
  readonly definition: CheckDefinition;
  /** The sshd_config keyword, spelled as the manual spells it. */
  readonly keyword: string;
  /** sshd's default, or undefined when an absent setting makes the check not applicable. */
  readonly fallback: string | undefined;
  /** Why the value fails; undefined when it is acceptable. */
  readonly problem: (value: string) => string | undefined;
}

function valueOf(directive: SshdDirective): string {
  return directive.args.join(' ');
}

function location(directive: SshdDirective): { location: string; line: number } {
  return { location: directive.path, line: directive.line };
}

function evaluate(config: SshdConfig, check: SettingCheck): BaselineCheckResult {
  const { definition, keyword } = check;
  const global = globalDirective(config, keyword);
  const evidence: BaselineEvidence[] = [];
  const problems: string[] = [];
  let current: string;
  if (global) {
    const value = valueOf(global);
    const problem = check.problem(value);
    if (problem) problems.push(problem);
    current = `${keyword} ${value}`;
    evidence.push({ ...location(global), detail: `${keyword} ${value}${problem ? ` — ${problem}` : ''}` });
  } else if (check.fallback !== undefined) {
    const problem = check.problem(check.fallback);
    if (problem) problems.push(problem);
    current = `${keyword} not set (${opensshDefaultsVersion} default: ${check.fallback})`;
    evidence.push({
      location: sshdConfigPath,
      detail: `${keyword} not set; ${opensshDefaultsVersion} default ${check.fallback}${problem ? ` — ${problem}` : ''}`,
    });
  } else {
    current = `${keyword} not set`;
  }
  const notes: string[] = [];
  for (const directive of matchDirectives(config, keyword)) {
    const value = valueOf(directive);
    const problem = check.problem(value);
    if (problem) problems.push(problem);
    const block = `Match ${directive.match?.criteria ?? ''}`;
    notes.push(`${block}: ${keyword} ${value}`);
    evidence.push({
      ...location(directive),
      detail: `${keyword} ${value} in ${block} (line ${directive.match?.line ?? '?'})${problem ? ` — ${problem}` : ''}`,
    });
  }
  if (notes.length > 0) current += `; ${notes.join('; ')}`;
  if (!global && check.fallback === undefined && notes.length === 0) {
    return { ...definition, result: 'not_applicable', current, evidence };
  }
  return { ...definition, result: problems.length > 0 ? 'fail' : 'pass', current, evidence };
}

function expect(allowed: readonly string[], reason: string): (value: string) => string | undefined {
  return (value) => (allowed.includes(value.toLowerCase()) ? undefined : reason);
}

function algorithms(kind: AlgorithmKind, defaults: string): (value: string) => string | undefined {
  return (value) => {
    const weak = resolveAlgorithms(value, defaults)
      .map((name) => [name, algorithmWeakness(kind, name)] as const)
      .filter(([, weakness]) => weakness !== undefined);
    return weak.length === 0
      ? undefined
      : `weak: ${weak.map(([name, why]) => `${name} (${why})`).join(', ')}`;
  };
}

const settingChecks: readonly SettingCheck[] = [
  {
    definition: {
      id: 'sshd-permit-root-login',
      title: 'SSH does not accept root logins with a password',
      area: 'ssh',
      severity: 'high',
      standard: `${cisDebian12} §5.1.20`,
      suggested: 'PermitRootLogin no (prohibit-password allows keys only and is accepted)',
      remediation: 'Set PermitRootLogin no in etc/ssh/sshd_config, above any Include and Match lines.',
    },
    keyword: 'PermitRootLogin',
    fallback: sshdDefaults.permitrootlogin,
    problem: expect(
      ['no', 'prohibit-password', 'without-password', 'forced-commands-only'],
      'root may log in with a password',
    ),
  },
  {
    definition: {
      id: 'sshd-password-authentication',
      title: 'SSH does not accept passwords',
      area: 'ssh',
      severity: 'medium',
      standard: 'Drydock',
      suggested: 'PasswordAuthentication no',
      remediation:
        'Set PasswordAuthentication no in etc/ssh/sshd_config and use keys or certificates; passwords can be guessed over the network.',
    },
    keyword: 'PasswordAuthentication',
    fallback: sshdDefaults.passwordauthentication,
    problem: expect(['no'], 'passwords are accepted'),
  },
  {
    definition: {
      id: 'sshd-permit-empty-passwords',
      title: 'SSH does not accept empty passwords',
      area: 'ssh',
      severity: 'high',
      standard: `${cisDebian12} §5.1.19`,
      suggested: 'PermitEmptyPasswords no',
      remediation:
        'Set PermitEmptyPasswords no in etc/ssh/sshd_config (or remove the line: no is the default).',
    },
    keyword: 'PermitEmptyPasswords',
    fallback: sshdDefaults.permitemptypasswords,
    problem: expect(['no'], 'accounts with an empty password can log in'),
  },
  {
    definition: {
      id: 'sshd-protocol',
      title: 'SSH protocol 1 is not configured',
      area: 'ssh',
      severity: 'low',
      standard: 'Drydock',
      suggested: 'Protocol 2, or no Protocol line (OpenSSH 7.6 and later speak only protocol 2)',
      remediation:
        'Remove the Protocol line; OpenSSH 7.6 and later ignore it, and a value naming 1 shows the configuration was written for an insecure server.',
    },
    keyword: 'Protocol',
    fallback: undefined,
    problem: (value) =>
      value.split(',').some((version) => version.trim() === '1') ? 'names protocol 1' : undefined,
  },
  {
    definition: {
      id: 'sshd-x11-forwarding',
      title: 'SSH X11 forwarding is off',
      area: 'ssh',
      severity: 'low',
      standard: 'Drydock',
      suggested: 'X11Forwarding no',
      remediation:
        'Set X11Forwarding no in etc/ssh/sshd_config (Debian ships yes); a container serves no X11 display, and forwarding exposes the client to the server.',
    },
    keyword: 'X11Forwarding',
    fallback: sshdDefaults.x11forwarding,
    problem: expect(['no'], 'X11 forwarding is on'),
  },
  {
    definition: {
      id: 'sshd-max-auth-tries',
      title: 'SSH allows at most 4 authentication attempts per connection',
      area: 'ssh',
      severity: 'low',
      standard: `${cisDebian12} §5.1.16`,
      suggested: 'MaxAuthTries 4 or less',
      remediation: 'Set MaxAuthTries 4 in etc/ssh/sshd_config, above any Include and Match lines.',
    },
    keyword: 'MaxAuthTries',
    fallback: sshdDefaults.maxauthtries,
    problem: (value) => (/^\d+$/.test(value) && Number(value) <= 4 ? undefined : 'more than 4 attempts'),
  },
  {
    definition: {
      id: 'sshd-ciphers',
      title: 'SSH offers no weak ciphers',
      area: 'ssh',
      severity: 'medium',
      standard: 'Drydock',
      suggested: 'no CBC, arcfour, 3DES, blowfish or cast128 ciphers',
      remediation:
        'Remove the weak ciphers from Ciphers in etc/ssh/sshd_config (or remove the line: the OpenSSH 9 default has none).',
    },
    keyword: 'Ciphers',
    fallback: sshdDefaults.ciphers,
    problem: algorithms('ciphers', sshdDefaults.ciphers),
  },
  {
    definition: {
      id: 'sshd-macs',
      title: 'SSH offers no weak MACs',
      area: 'ssh',
      severity: 'medium',
      standard: 'Drydock',
      suggested: 'no hmac-md5 or 96-bit MACs',
      remediation:
        'Remove the weak MACs from MACs in etc/ssh/sshd_config (or remove the line: the OpenSSH 9 default has none).',
    },
    keyword: 'MACs',
    fallback: sshdDefaults.macs,
    problem: algorithms('macs', sshdDefaults.macs),
  },
  {
    definition: {
      id: 'sshd-kex-algorithms',
      title: 'SSH offers no weak key exchange',
      area: 'ssh',
      severity: 'medium',
      standard: 'Drydock',
      suggested: 'no diffie-hellman-group1 or SHA-1 key exchange',
      remediation:
        'Remove the weak methods from KexAlgorithms in etc/ssh/sshd_config (or remove the line: the OpenSSH 9 default has none).',
    },
    keyword: 'KexAlgorithms',
    fallback: sshdDefaults.kexalgorithms,
    problem: algorithms('kexalgorithms', sshdDefaults.kexalgorithms),
  },
];

export function sshdChecks(files: SystemFiles): BaselineCheckResult[] {
  const config = parseSshdConfig(files);
  if (!config) {
    return settingChecks.map(({ definition }) => ({
      ...definition,
      result: 'not_applicable',
      current: `no ${sshdConfigPath}`,
      evidence: [],
    }));
  }
  return settingChecks.map((check) => evaluate(config, check));
}
