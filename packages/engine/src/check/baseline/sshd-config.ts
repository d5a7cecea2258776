/**
 * sshd_config(5) as sshd reads it: keywords are case-insensitive, `Keyword value` or
 * `Keyword=value`, arguments may be quoted, `#` starts a comment. For most keywords the first
 * value obtained wins. `Include` expands its glob patterns in lexical order, in place (relative
 * patterns are relative to /etc/ssh). Lines after `Match` apply only to matching connections,
 * until the next `Match` or the end of the file that holds it; they are kept apart from the
 * global values so checks can name them.
 * https://man.openbsd.org/sshd_config
 */
import { compareBytes, numberedLines, type SystemFiles } from './system-files.ts';

export const sshdConfigPath = 'etc/ssh/sshd_config';

/** sshd's own limit on nested Include directives. */
const maxIncludeDepth = 16;

export interface SshdMatchBlock {
  /** The criteria as written (`User backup`, `Address 10.0.0.0/8`, `all`). */
  readonly criteria: string;
  readonly path: string;
  readonly line: number;
}

export interface SshdDirective {
  /** Lower case. */
  readonly keyword: string;
  /** As written, for showing. */
  readonly name: string;
  readonly args: readonly string[];
  readonly path: string;
  readonly line: number;
  /** The Match block the directive is in; undefined for a global directive. */
  readonly match: SshdMatchBlock | undefined;
}

export interface SshdIncludeNote {
  readonly path: string;
  readonly line: number;
  readonly pattern: string;
  /** Image-relative files the pattern matched, in the order sshd reads them. */
  readonly matched: readonly string[];
}

export interface SshdConfig {
  /** Every directive in the order sshd reads them, includes expanded. */
  readonly directives: readonly SshdDirective[];
  readonly includes: readonly SshdIncludeNote[];
}

/** Splits arguments as sshd's argv_split does: whitespace, quotes, backslash escapes, `#` comments. */
export function splitArguments(text: string): string[] {
  const args: string[] = [];
  let current = '';
  let inToken = false;
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? '';
    if (quote) {
      if (char === '\\' && (text[index + 1] === quote || text[index + 1] === '\\'))
        current += text[++index] ?? '';
      else if (char === quote) quote = undefined;
      else current += char;
      continue;
    }
    if (/\s/.test(char)) {
      if (inToken) args.push(current);
      current = '';
      inToken = false;
    } else if (char === '#' && !inToken) {
      break;
    } else if (char === '"' || char === "'") {
      quote = char;
      inToken = true;
    } else if (char === '\\' && index + 1 < text.length) {
      current += text[++index] ?? '';
      inToken = true;
    } else {
      current += char;
      inToken = true;
    }
  }
  if (inToken) args.push(current);
  return args;
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] ?? '';
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = pattern.indexOf(']', index + 2);
      if (end < 0) source += '\\[';
      else {
        const body = pattern
          .slice(index + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        index = end;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** An Include pattern as an image-relative glob: absolute paths lose their `/`, others live in etc/ssh. */
function includePattern(pattern: string): string {
  return pattern.startsWith('/') ? pattern.replace(/^\/+/, '') : `etc/ssh/${pattern}`;
}

function expandInclude(files: SystemFiles, pattern: string): string[] {
  const glob = includePattern(pattern);
  if (!/[*?[]/.test(glob)) return files.has(glob) ? [glob] : [];
  const regexp = globToRegExp(glob);
  return [...files.keys()].filter((path) => regexp.test(path)).sort(compareBytes);
}

/** The configuration sshd would read from `path`; undefined when the image has no such file. */
export function parseSshdConfig(files: SystemFiles, path = sshdConfigPath): SshdConfig | undefined {
  if (!files.has(path)) return undefined;
  const directives: SshdDirective[] = [];
  const includes: SshdIncludeNote[] = [];

  const readFile = (filePath: string, enclosing: SshdMatchBlock | undefined, depth: number): void => {
    let match = enclosing;
    for (const { line, text } of numberedLines(files.get(filePath) ?? '')) {
      const parsed = /^\s*([^\s=#][^\s=]*)\s*(?:=\s*)?(.*)$/.exec(text);
      if (!parsed?.[1]) continue;
      const name = parsed[1];
      const keyword = name.toLowerCase();
      const args = splitArguments(parsed[2] ?? '');
      if (keyword === 'match') {
        match = { criteria: args.join(' '), path: filePath, line };
        continue;
      }
      if (keyword === 'include') {
        for (const pattern of args) {
          const matched = depth < maxIncludeDepth ? expandInclude(files, pattern) : [];
          includes.push({ path: filePath, line, pattern, matched });
          for (const included of matched) readFile(included, match, depth + 1);
        }
        continue;
      }
      directives.push({ keyword, name, args, path: filePath, line, match });
    }
  };

  readFile(path, undefined, 0);
  return { directives, includes };
}

/** The value sshd uses for every connection no Match block changes: the first global directive. */
export function globalDirective(config: SshdConfig, keyword: string): SshdDirective | undefined {
  const wanted = keyword.toLowerCase();
  return config.directives.find((directive) => directive.keyword === wanted && directive.match === undefined);
}

/** The first directive of each Match block that sets the keyword (later ones in a block are ignored). */
export function matchDirectives(config: SshdConfig, keyword: string): SshdDirective[] {
  const wanted = keyword.toLowerCase();
  const seen = new Set<SshdMatchBlock>();
  const found: SshdDirective[] = [];
  for (const directive of config.directives) {
    if (directive.keyword !== wanted || !directive.match || seen.has(directive.match)) continue;
    seen.add(directive.match);
    found.push(directive);
  }
  return found;
}
