/**
 * The image's account databases, parsed, and each account's effective password: what pam_unix
 * would compare against, taken from shadow when passwd says `x` and from passwd otherwise.
 */
import {
  groupPath,
  gshadowPath,
  parseGroup,
  parseGshadow,
  parsePasswd,
  parseShadow,
  passwdPath,
  shadowPath,
  type GroupEntry,
  type GshadowEntry,
  type PasswdEntry,
  type ShadowEntry,
} from './accounts-files.ts';
import { parsePasswordField, type PasswordField } from './accounts-password-field.ts';
import type { SystemFiles } from './system-files.ts';

/** Each database, or undefined when the image has no such file. */
export interface AccountDatabases {
  readonly passwd: readonly PasswdEntry[] | undefined;
  readonly shadow: readonly ShadowEntry[] | undefined;
  readonly group: readonly GroupEntry[] | undefined;
  readonly gshadow: readonly GshadowEntry[] | undefined;
}

export function readAccountDatabases(files: SystemFiles): AccountDatabases {
  const read = <T>(path: string, parse: (text: string, path: string) => T): T | undefined => {
    const text = files.get(path);
    return text === undefined ? undefined : parse(text, path);
  };
  return {
    passwd: read(passwdPath, parsePasswd),
    shadow: read(shadowPath, parseShadow),
    group: read(groupPath, parseGroup),
    gshadow: read(gshadowPath, parseGshadow),
  };
}

export interface Credential {
  readonly account: PasswdEntry;
  /** The shadow entry of the account, when there is one. */
  readonly shadow: ShadowEntry | undefined;
  readonly field: PasswordField;
  /** Where the effective password field is. */
  readonly path: string;
  readonly line: number;
}

/**
 * One credential per local (non-NIS) account. An account whose passwd field is `x` and which has
 * no shadow entry has no password at all: it is left out.
 */
export function credentials(databases: AccountDatabases): Credential[] {
  const shadowByName = new Map<string, ShadowEntry>();
  for (const entry of databases.shadow ?? []) {
    if (!entry.nis && !shadowByName.has(entry.name)) shadowByName.set(entry.name, entry);
  }
  const result: Credential[] = [];
  for (const account of databases.passwd ?? []) {
    if (account.nis) continue;
    const shadow = shadowByName.get(account.name);
    if (account.password !== 'x') {
      result.push({ account, shadow, field: parsePasswordField(account.password), ...at(account) });
    } else if (shadow) {
      result.push({ account, shadow, field: parsePasswordField(shadow.password), ...at(shadow) });
    }
  }
  return result;
}

function at(entry: { readonly path: string; readonly line: number }): { path: string; line: number } {
  return { path: entry.path, line: entry.line };
}
