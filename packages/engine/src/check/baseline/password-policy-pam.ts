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

const lineTerminators = new Set(['\n', '\r', '\u2028', '\u2029']);

/**
 * For each offset, where a bracketed control that continues there closes (`-1`: it does not),
 * worked out once from the end of the line. Searching on from every `[` instead made a line of
 * many unclosed `[` take time quadratic in its length.
 */
function closingBrackets(text: string): Int32Array {
  const closing = new Int32Array(text.length + 2).fill(-1);
  for (let at = text.length - 1; at >= 0; at--) {
    const char = text[at];
    if (char === ']') closing[at] = at;
    else if (char !== '\\') closing[at] = closing[at + 1] ?? -1;
    else if (at + 1 < text.length && !lineTerminators.has(text[at + 1] ?? ''))
      closing[at] = closing[at + 2] ?? -1;
  }
  return closing;
}

/** Splits a PAM line into words, a `[...]` control (with `\\` escapes) being one word. */
function tokens(text: string): string[] {
  const found: string[] = [];
  const closing = closingBrackets(text);
  let at = 0;
  while (at < text.length) {
    if (/\s/.test(text[at] ?? '')) {
      at++;
      continue;
    }
    const close = text[at] === '[' ? (closing[at + 1] ?? -1) : -1;
    let end = close + 1;
    if (close === -1) for (end = at; end < text.length && !/\s/.test(text[end] ?? ''); end++);
    found.push(text.slice(at, end));
    at = end;
  }
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
