import { access, readFile } from 'node:fs/promises';
import {
  MalwareScanner,
  SecretScanner,
  parseClamdAddress,
  parseSecretConfig,
  type SecretScanConfig,
} from '@drydock/engine';

/**
 * What `drydock image` can scan. The inventory (SBOM) is always built; `vuln` needs a database;
 * `secret` and `malware` are the file and configuration checks; `baseline` (configuration, history,
 * accounts, weak passwords, SSH) and `compliance` (licences, prohibited software, end of life) run
 * when asked for, since their findings are policy rather than vulnerabilities.
 */
export const scannerNames = ['vuln', 'secret', 'malware', 'baseline', 'compliance', 'inventory'] as const;

/** Scanners that run without `--scanners`. */
const defaultScanners: ReadonlySet<ScannerName> = new Set(['vuln', 'secret', 'malware', 'inventory']);

/** Whether a scanner runs: as listed in `--scanners`, else by default. */
export function scannerWanted(scanners: ReadonlySet<ScannerName> | undefined, name: ScannerName): boolean {
  return (scanners ?? defaultScanners).has(name);
}
export type ScannerName = (typeof scannerNames)[number];

/** A command-line option with a value the command cannot use: exit status 2, like a failed scan. */
export class OptionError extends Error {
  readonly code = 'invalid_option';
}

function isScanner(name: string): name is ScannerName {
  return scannerNames.some((scanner) => scanner === name);
}

/** `--scanners vuln,secret`; undefined when not given. */
export function parseScanners(value: unknown): ReadonlySet<ScannerName> | undefined {
  if (typeof value !== 'string') return undefined;
  const names = value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !isScanner(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new OptionError(
      `--scanners: unknown scanner ${JSON.stringify(unknown[0] ?? value)} (expected ${scannerNames.join(', ')})`,
    );
  }
  return new Set(names.filter(isScanner));
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The file and configuration checks of one run, opened before the scan and closed after it. */
export interface FileCheckers {
  readonly secrets: SecretScanner | undefined;
  readonly skipBaseLayers: boolean;
  readonly malware: MalwareScanner | undefined;
  close(): Promise<void>;
}

/**
 * Opens the secret and malware scanners the options ask for. Without `--scanners`, secrets are
 * searched and malware too (the hash engine, with EICAR built in, plus whichever of `--clamd`,
 * `--yara-rules` and `--malware-db` are given). A bad `--secret-config`, YARA rule file or clamd
 * address fails here, before any image is pulled.
 */
export async function openFileCheckers(
  options: Record<string, unknown>,
  scanners: ReadonlySet<ScannerName> | undefined,
): Promise<FileCheckers> {
  const wants = (name: ScannerName) => scannerWanted(scanners, name);
  let secrets: SecretScanner | undefined;
  let malware: MalwareScanner | undefined;
  const close = async () => {
    await secrets?.close();
    await malware?.close();
  };
  try {
    if (wants('secret')) {
      const configFile = typeof options['secretConfig'] === 'string' ? options['secretConfig'] : undefined;
      const config: SecretScanConfig = configFile
        ? parseSecretConfig(await readFile(configFile, 'utf8'), configFile)
        : {};
      secrets = new SecretScanner({ config });
    }
    if (wants('malware')) {
      const clamd = typeof options['clamd'] === 'string' ? options['clamd'] : undefined;
      if (clamd !== undefined) parseClamdAddress(clamd);
      const hashStore = typeof options['malwareDb'] === 'string' ? options['malwareDb'] : undefined;
      if (hashStore !== undefined)
        await access(hashStore).catch(() => {
          throw new OptionError(
            `--malware-db: no hash store at ${hashStore} (create one with \`drydock malware import FILE...\`)`,
          );
        });
      malware = await MalwareScanner.open({
        ...(hashStore === undefined ? {} : { hashStorePath: hashStore }),
        ...(clamd === undefined ? {} : { clamd: { address: clamd } }),
        yaraRules: stringList(options['yaraRules']),
      });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { secrets, skipBaseLayers: options['skipBaseLayers'] === true, malware, close };
}
