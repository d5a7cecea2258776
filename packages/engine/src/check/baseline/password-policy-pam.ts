/**
 * PAM configuration lines (pam.conf(5), the pam.d form): `type control module-path args...`.
 * Controls and arguments may be bracketed (`[success=1 default=ignore]`, `[a b c]`), a trailing
 * backslash continues a line, `#` starts a comment. `@include` lines are skipped: the files the
 * checks read are the ones Debian and Red Hat include from everywhere else.
 */
import { numberedLines } from './system-files.ts';

/** The PAM files holding the password stack: Debian's, then Red Hat's. */
export const pamPasswordPaths: readonly string[] = [
  'etc/pam.d/common-password',
  'etc/pam.d/system-auth',
  'etc/pam.d/password-auth',
];

/** The PAM files holding the authentication stack (where nullok lets empty passwords in). */
export const pamAuthPaths: readonly string[] = [
  'etc/pam.d/common-auth',
  'etc/pam.d/common-password',
  'etc/pam.d/system-auth',
  'etc/pam.d/password-auth',
];

export interface PamLine {
  readonly path: string;
  readonly line: number;
  /** `auth`, `account`, `password` or `session`, without the leading `-` of an optional module. */
  readonly type: string;
  readonly control: string;
  /** The module's file name (`pam_unix.so`), whatever directory the line names. */
  readonly module: string;
  /** Arguments in order: `name=value` as [name, value], a bare flag as [flag, undefined]. */
  readonly args: readonly (readonly [name: string, value: string | undefined])[];
}

function tokens(text: string): string[] {
  const found: string[] = [];
  const pattern = /\[(?:[^\]\\]|\\.)*\]|\S+/g;
  for (const match of text.matchAll(pattern)) found.push(match[0]);
  return found;
}

export function parsePam(text: string, path: string): PamLine[] {
  const lines: PamLine[] = [];
  let pending = '';
  let startLine = 0;
  for (const { line, text: raw } of numberedLines(text)) {
    if (pending === '') startLine = line;
    if (raw.endsWith('\\')) {
      pending += `${raw.slice(0, -1)} `;
      continue;
    }
    const logical = (pending + raw).replace(/#.*$/, '').trim();
    pending = '';
    if (logical === '' || logical.startsWith('@')) continue;
    const [type, control, modulePath, ...rest] = tokens(logical);
    if (!type || !control || !modulePath) continue;
    lines.push({
      path,
      line: startLine,
      type: type.replace(/^-/, '').toLowerCase(),
      control,
      module: modulePath.split('/').pop() ?? modulePath,
      args: rest.map((arg) => {
        const inner = arg.startsWith('[') && arg.endsWith(']') ? arg.slice(1, -1) : arg;
        const equals = inner.indexOf('=');
        return equals < 0 ? [inner, undefined] : [inner.slice(0, equals), inner.slice(equals + 1)];
      }),
    });
  }
  return lines;
}

/** Every PAM line of the given files that the image has, in file order. */
export function readPam(files: ReadonlyMap<string, string>, paths: readonly string[]): PamLine[] {
  return paths.flatMap((path) => {
    const text = files.get(path);
    return text === undefined ? [] : parsePam(text, path);
  });
}
