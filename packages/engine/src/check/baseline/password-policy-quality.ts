/**
 * The password quality rules a password change meets: the settings of pam_pwquality (libpwquality)
 * or pam_cracklib as the module resolves them. libpwquality reads pwquality.conf.d/*.conf in ASCII
 * order, then pwquality.conf, each overriding the last, and the module's arguments override all
 * of them (pwquality.conf(5), pam_pwquality(8)). pam_cracklib reads no file: its arguments only.
 */
import { pamPasswordPaths, readPam, type PamLine } from './password-policy-pam.ts';
import { filesInDirectory, numberedLines, type SystemFiles } from './system-files.ts';

export const pwqualityPath = 'etc/security/pwquality.conf';
export const pwqualityDirectory = 'etc/security/pwquality.conf.d';

export const qualitySettingNames = [
  'minlen',
  'dcredit',
  'ucredit',
  'lcredit',
  'ocredit',
  'minclass',
] as const;
export type QualitySettingName = (typeof qualitySettingNames)[number];

export interface QualitySetting {
  readonly value: number;
  /** Where the value comes from; absent for the module's built-in default. */
  readonly path?: string;
  readonly line?: number;
}

export interface QualityPolicy {
  /** The pam_pwquality or pam_cracklib line of the password stack; undefined when there is none. */
  readonly module: PamLine | undefined;
  readonly settings: Readonly<Record<QualitySettingName, QualitySetting>>;
  /** Whether a pwquality configuration file exists (it does nothing without pam_pwquality). */
  readonly configured: boolean;
}

const qualityModules = ['pam_pwquality.so', 'pam_cracklib.so'];

/** libpwquality's compiled-in defaults (pwquality.conf(5)). */
const pwqualityDefaults: Record<QualitySettingName, number> = {
  minlen: 8,
  dcredit: 0,
  ucredit: 0,
  lcredit: 0,
  ocredit: 0,
  minclass: 0,
};

/** pam_cracklib's defaults (pam_cracklib(8)): credits of 1 let a shorter mixed password pass. */
const cracklibDefaults: Record<QualitySettingName, number> = {
  minlen: 9,
  dcredit: 1,
  ucredit: 1,
  lcredit: 1,
  ocredit: 1,
  minclass: 0,
};

function isSettingName(name: string): name is QualitySettingName {
  return (qualitySettingNames as readonly string[]).includes(name);
}

function parseInteger(value: string | undefined): number | undefined {
  return value !== undefined && /^\s*-?\d+\s*$/.test(value) ? Number(value) : undefined;
}

/** Applies the `name = value` lines of one pwquality configuration file. */
function applyConfigFile(
  settings: Record<QualitySettingName, QualitySetting>,
  path: string,
  text: string,
): void {
  for (const { line, text: raw } of numberedLines(text)) {
    const content = raw.replace(/#.*$/, '').trim();
    const match = /^([A-Za-z_]+)\s*=\s*(.*)$/.exec(content);
    const name = match?.[1]?.toLowerCase();
    const value = parseInteger(match?.[2]);
    if (name !== undefined && isSettingName(name) && value !== undefined)
      settings[name] = { value, path, line };
  }
}

export function qualityPolicy(files: SystemFiles): QualityPolicy {
  const module = readPam(files, pamPasswordPaths).find(
    (line) => line.type === 'password' && qualityModules.includes(line.module),
  );
  const cracklib = module?.module === 'pam_cracklib.so';
  const defaults = cracklib ? cracklibDefaults : pwqualityDefaults;
  const settings: Record<QualitySettingName, QualitySetting> = {
    minlen: { value: defaults.minlen },
    dcredit: { value: defaults.dcredit },
    ucredit: { value: defaults.ucredit },
    lcredit: { value: defaults.lcredit },
    ocredit: { value: defaults.ocredit },
    minclass: { value: defaults.minclass },
  };
  const configFiles = [...filesInDirectory(files, pwqualityDirectory, '.conf'), pwqualityPath].filter(
    (path) => files.has(path),
  );
  if (!cracklib) {
    for (const path of configFiles) applyConfigFile(settings, path, files.get(path) ?? '');
  }
  for (const [name, raw] of module?.args ?? []) {
    const value = parseInteger(raw);
    if (isSettingName(name) && value !== undefined)
      settings[name] = { value, path: module?.path, line: module?.line };
  }
  return { module, settings, configured: configFiles.length > 0 };
}
