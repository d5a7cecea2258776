/**
 * Password policy baseline checks: ageing and hashing in login.defs, the hashing option of
 * pam_unix, nullok, and the length and character classes pam_pwquality or pam_cracklib demand.
 * Every result's evidence lists each requirement it examined and whether it is met, so a pass
 * shows what was looked at and a failure shows exactly what is missing. Thresholds follow the CIS
 * Debian Linux 12 Benchmark (minimum length 14, as its §5.3.3.2.2 asks, not NIST's 8).
 */
import { cisDebian12, type CheckDefinition } from './accounts-check-outcome.ts';
import type { BaselineCheckResult, BaselineEvidence } from './check-result.ts';
import {
  integerSetting,
  loginDefsPath,
  parseLoginDefs,
  type LoginDefs,
  type LoginDefsSetting,
} from './password-policy-login-defs.ts';
import { pamAuthPaths, pamPasswordPaths, readPam, type PamLine } from './password-policy-pam.ts';
import { pwqualityPath, qualityPolicy, type QualitySetting } from './password-policy-quality.ts';
import type { SystemFiles } from './system-files.ts';

/** One requirement a check examined: what is asked, whether the image meets it, and what it has. */
interface Requirement {
  readonly text: string;
  readonly met: boolean;
  readonly value: string;
  readonly location: string;
  readonly line?: number;
}

function requirementEvidence(requirement: Requirement): BaselineEvidence {
  const detail = `${requirement.text}: ${requirement.met ? 'met' : 'not met'} (${requirement.value})`;
  return requirement.line === undefined
    ? { location: requirement.location, detail }
    : { location: requirement.location, line: requirement.line, detail };
}

function judge(
  check: CheckDefinition,
  requirements: readonly Requirement[],
  current?: string,
): BaselineCheckResult {
  const unmet = requirements.filter((requirement) => !requirement.met);
  return {
    ...check,
    result: unmet.length === 0 ? 'pass' : 'fail',
    current: current ?? requirements.map((requirement) => requirement.value).join('; '),
    evidence: requirements.map(requirementEvidence),
  };
}

function notApplicable(check: CheckDefinition, current: string): BaselineCheckResult {
  return { ...check, result: 'not_applicable', current, evidence: [] };
}

function loginDefsRequirement(
  name: string,
  setting: LoginDefsSetting | undefined,
  text: string,
  met: (value: number) => boolean,
  unset: string,
): Requirement {
  const value = integerSetting(setting);
  if (!setting) return { text, met: false, value: `${name} not set (${unset})`, location: loginDefsPath };
  return {
    text,
    met: value !== undefined && met(value),
    value: `${name} ${setting.value}`,
    location: setting.path,
    line: setting.line,
  };
}

const maxDays: CheckDefinition = {
  id: 'password-policy-max-days',
  title: 'Passwords expire within a year',
  area: 'password-policy',
  severity: 'medium',
  standard: `${cisDebian12} §5.4.1.1`,
  suggested: 'PASS_MAX_DAYS 365 or less (and more than 0)',
  remediation:
    'Set PASS_MAX_DAYS 365 (or your policy) in etc/login.defs; it applies to accounts created afterwards, so run chage --maxdays for existing ones.',
};

const minDays: CheckDefinition = {
  id: 'password-policy-min-days',
  title: 'Passwords cannot be changed again at once',
  area: 'password-policy',
  severity: 'low',
  standard: `${cisDebian12} §5.4.1.2`,
  suggested: 'PASS_MIN_DAYS 1 or more',
  remediation:
    'Set PASS_MIN_DAYS 1 in etc/login.defs, so a user cannot cycle through passwords back to the old one in a day.',
};

const warnAge: CheckDefinition = {
  id: 'password-policy-warn-age',
  title: 'Users are warned before their password expires',
  area: 'password-policy',
  severity: 'low',
  standard: `${cisDebian12} §5.4.1.3`,
  suggested: 'PASS_WARN_AGE 7 or more',
  remediation: 'Set PASS_WARN_AGE 7 in etc/login.defs.',
};

const minLen: CheckDefinition = {
  id: 'password-policy-min-len',
  title: 'login.defs asks for passwords of 8 characters or more',
  area: 'password-policy',
  severity: 'low',
  standard: 'Drydock',
  suggested: 'PASS_MIN_LEN 8 or more, or a PAM password stack that sets the length',
  remediation:
    'Set PASS_MIN_LEN 8 in etc/login.defs. Where passwd goes through PAM (Debian, Red Hat) the value is ignored: set minlen for pam_pwquality instead.',
};

function loginDefsChecks(defs: LoginDefs | undefined, pamPresent: boolean): BaselineCheckResult[] {
  if (!defs) {
    return [maxDays, minDays, warnAge, minLen].map((check) => notApplicable(check, `no ${loginDefsPath}`));
  }
  const max = loginDefsRequirement(
    'PASS_MAX_DAYS',
    defs.get('PASS_MAX_DAYS'),
    'PASS_MAX_DAYS between 1 and 365',
    (value) => value >= 1 && value <= 365,
    'passwords never expire',
  );
  const min = loginDefsRequirement(
    'PASS_MIN_DAYS',
    defs.get('PASS_MIN_DAYS'),
    'PASS_MIN_DAYS 1 or more',
    (value) => value >= 1,
    'no minimum',
  );
  const warn = loginDefsRequirement(
    'PASS_WARN_AGE',
    defs.get('PASS_WARN_AGE'),
    'PASS_WARN_AGE 7 or more',
    (value) => value >= 7,
    'no warning',
  );
  const lengthSetting = defs.get('PASS_MIN_LEN');
  let length: BaselineCheckResult;
  if (!lengthSetting && pamPresent) {
    length = notApplicable(minLen, 'PASS_MIN_LEN not set; passwords change through PAM, which ignores it');
  } else {
    const requirement = loginDefsRequirement(
      'PASS_MIN_LEN',
      lengthSetting,
      'PASS_MIN_LEN 8 or more',
      (value) => value >= 8,
      'no minimum',
    );
    const note = pamPresent ? ', ignored by PAM' : '';
    length = judge(minLen, [{ ...requirement, value: requirement.value + note }]);
  }
  return [judge(maxDays, [max]), judge(minDays, [min]), judge(warnAge, [warn]), length];
}

const encryptMethod: CheckDefinition = {
  id: 'password-policy-encrypt-method',
  title: 'New passwords are hashed with a strong algorithm',
  area: 'password-policy',
  severity: 'medium',
  standard: `${cisDebian12} §5.4.1.4, §5.3.3.4.3`,
  suggested: 'ENCRYPT_METHOD YESCRYPT or SHA512; pam_unix with yescrypt or sha512',
  remediation:
    'Set ENCRYPT_METHOD YESCRYPT (or SHA512) in etc/login.defs and give pam_unix the yescrypt (or sha512) option in the password stack.',
};

const strongLoginDefsMethods = ['SHA512', 'YESCRYPT'];
const pamUnixHashOptions = ['md5', 'bigcrypt', 'sha256', 'sha512', 'blowfish', 'gost_yescrypt', 'yescrypt'];
const strongPamUnixHashes = ['sha512', 'yescrypt'];

function encryptMethodCheck(
  defs: LoginDefs | undefined,
  passwordStack: readonly PamLine[],
): BaselineCheckResult {
  const requirements: Requirement[] = [];
  if (defs) {
    const setting = defs.get('ENCRYPT_METHOD');
    requirements.push(
      setting
        ? {
            text: 'ENCRYPT_METHOD SHA512 or YESCRYPT',
            met: strongLoginDefsMethods.includes(setting.value.toUpperCase()),
            value: `ENCRYPT_METHOD ${setting.value}`,
            location: setting.path,
            line: setting.line,
          }
        : {
            text: 'ENCRYPT_METHOD SHA512 or YESCRYPT',
            met: false,
            value: 'ENCRYPT_METHOD not set (shadow-utils falls back to DES, or MD5 with MD5_CRYPT_ENAB)',
            location: loginDefsPath,
          },
    );
  }
  for (const line of passwordStack.filter(
    (entry) => entry.type === 'password' && entry.module === 'pam_unix.so',
  )) {
    // pam_unix takes the last hash option it is given; without one it follows ENCRYPT_METHOD.
    const option = line.args.map(([name]) => name).findLast((name) => pamUnixHashOptions.includes(name));
    if (!option) continue;
    requirements.push({
      text: 'pam_unix hashes with yescrypt or sha512',
      met: strongPamUnixHashes.includes(option),
      value: `pam_unix ${option}`,
      location: line.path,
      line: line.line,
    });
  }
  if (requirements.length === 0)
    return notApplicable(encryptMethod, `no ${loginDefsPath} and no pam_unix hash option`);
  return judge(encryptMethod, requirements);
}

const nullok: CheckDefinition = {
  id: 'password-policy-pam-nullok',
  title: 'PAM does not accept empty passwords',
  area: 'password-policy',
  severity: 'medium',
  standard: `${cisDebian12} §5.3.3.4.1`,
  suggested: 'pam_unix without nullok',
  remediation:
    'Remove the nullok argument from the pam_unix lines (on Debian: pam-auth-update, or edit etc/pam.d/common-auth); with it, an account with an empty password field logs in with no password.',
};

function nullokCheck(authStacks: readonly PamLine[]): BaselineCheckResult {
  const unixLines = authStacks.filter((line) => line.module === 'pam_unix.so');
  if (unixLines.length === 0) return notApplicable(nullok, 'no pam_unix in the PAM configuration');
  return judge(
    nullok,
    unixLines.map((line) => {
      const flag = line.args.find(([name]) => name === 'nullok' || name === 'nullok_secure');
      return {
        text: `pam_unix (${line.type}) without nullok`,
        met: flag === undefined,
        value: flag ? `pam_unix ${flag[0]} in ${line.type}` : `pam_unix without nullok in ${line.type}`,
        location: line.path,
        line: line.line,
      };
    }),
  );
}

const complexity: CheckDefinition = {
  id: 'password-policy-complexity',
  title: 'New passwords must be long and mixed',
  area: 'password-policy',
  severity: 'medium',
  standard: `${cisDebian12} §5.3.3.2.2, §5.3.3.2.3`,
  suggested: 'pam_pwquality in the password stack with minlen 14 or more and minclass 4 (or every credit -1)',
  remediation:
    'Install libpam-pwquality (Debian) or enable pam_pwquality (Red Hat) and set minlen = 14 and minclass = 4 in etc/security/pwquality.conf.d/50-drydock.conf.',
};

function settingRequirement(
  text: string,
  met: boolean,
  value: string,
  setting: QualitySetting,
  fallback: { readonly location: string; readonly line?: number },
  suffix: string,
): Requirement {
  return setting.path === undefined
    ? { text, met, value: `${value} (default)${suffix}`, ...fallback }
    : { text, met, value: value + suffix, location: setting.path, line: setting.line };
}

function complexityCheck(files: SystemFiles, pamPresent: boolean): BaselineCheckResult {
  const policy = qualityPolicy(files);
  if (!pamPresent && !policy.configured) {
    return notApplicable(complexity, 'no PAM password stack and no pwquality configuration');
  }
  const module = policy.module;
  const moduleLocation = module
    ? { location: module.path, line: module.line }
    : { location: pamPasswordPaths.find((path) => files.has(path)) ?? pwqualityPath };
  const moduleName = module?.module.replace(/\.so$/, '');
  const enforced = module !== undefined;
  const suffix = enforced ? '' : ', not enforced: no quality module';
  const { minlen, minclass, dcredit, ucredit, lcredit, ocredit } = policy.settings;
  const credits = { dcredit, ucredit, lcredit, ocredit };
  const allCreditsRequired = Object.values(credits).every((credit) => credit.value <= -1);
  const classesValue = `minclass = ${minclass.value}, ${Object.entries(credits)
    .map(([name, credit]) => `${name} = ${credit.value}`)
    .join(', ')}`;
  const classesSource =
    minclass.path !== undefined ? minclass : (Object.values(credits).find((c) => c.path) ?? minclass);
  const current = enforced
    ? `${moduleName}: minlen = ${minlen.value}, ${classesValue}`
    : 'no pam_pwquality or pam_cracklib in the password stack';
  return judge(
    complexity,
    [
      {
        text: 'a password quality module (pam_pwquality or pam_cracklib) in the password stack',
        met: enforced,
        value: moduleName ?? 'none',
        ...moduleLocation,
      },
      settingRequirement(
        'minlen 14 or more',
        enforced && minlen.value >= 14,
        `minlen = ${minlen.value}`,
        minlen,
        moduleLocation,
        suffix,
      ),
      settingRequirement(
        'four character classes: minclass 4, or dcredit, ucredit, lcredit and ocredit all -1 or less',
        enforced && (minclass.value >= 4 || allCreditsRequired),
        classesValue,
        classesSource,
        moduleLocation,
        suffix,
      ),
    ],
    current,
  );
}

export function passwordPolicyChecks(files: SystemFiles): BaselineCheckResult[] {
  const defsText = files.get(loginDefsPath);
  const defs = defsText === undefined ? undefined : parseLoginDefs(defsText);
  const passwordStack = readPam(files, pamPasswordPaths);
  const pamPresent = pamPasswordPaths.some((path) => files.has(path));
  return [
    ...loginDefsChecks(defs, pamPresent),
    encryptMethodCheck(defs, passwordStack),
    nullokCheck(readPam(files, pamAuthPaths)),
    complexityCheck(files, pamPresent),
  ];
}
