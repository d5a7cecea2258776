/**
 * login.defs(5): `NAME VALUE` lines, `#` comments. shadow-utils keeps the last value of a name
 * that appears twice (each definition overwrites the table entry), so the last one wins here too.
 */
import { numberedLines } from './system-files.ts';

export const loginDefsPath = 'etc/login.defs';

export interface LoginDefsSetting {
  readonly value: string;
  readonly path: string;
  readonly line: number;
}

/** Names are case-sensitive in login.defs (all upper case by convention). */
export type LoginDefs = ReadonlyMap<string, LoginDefsSetting>;

export function parseLoginDefs(text: string, path = loginDefsPath): LoginDefs {
  const settings = new Map<string, LoginDefsSetting>();
  for (const { line, text: raw } of numberedLines(text)) {
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) continue;
    const match = /^(\S+)\s*(.*)$/.exec(content);
    if (!match?.[1]) continue;
    // Values may be quoted ("..."); the quotes are not part of the value.
    const value = (match[2] ?? '').trim().replace(/^"(.*)"$/, '$1');
    settings.set(match[1], { value, path, line });
  }
  return settings;
}

/** A whole non-negative or negative integer value, or undefined for anything else. */
export function integerSetting(setting: LoginDefsSetting | undefined): number | undefined {
  return setting && /^-?\d+$/.test(setting.value) ? Number(setting.value) : undefined;
}
