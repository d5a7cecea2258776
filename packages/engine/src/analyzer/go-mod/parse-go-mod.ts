/**
 * A parsed go.mod file, the parts an inventory needs. Versions are kept as written (`v1.2.3`).
 * https://go.dev/ref/mod#go-mod-file
 */
export interface GoModFile {
  /** The `module` directive; undefined when absent. */
  readonly module: string | undefined;
  /** The `go` directive (`1.21`, `1.22.0`); undefined when absent. */
  readonly go: string | undefined;
  /** The `toolchain` directive (`go1.22.5`); undefined when absent. */
  readonly toolchain: string | undefined;
  readonly requires: readonly GoRequire[];
  readonly replaces: readonly GoReplace[];
}

export interface GoRequire {
  readonly path: string;
  readonly version: string;
  /** Marked `// indirect`. */
  readonly indirect: boolean;
}

export interface GoReplace {
  readonly oldPath: string;
  /** Undefined: the replacement applies to every version of `oldPath`. */
  readonly oldVersion: string | undefined;
  readonly newPath: string;
  /** Undefined for a local directory replacement (`=> ./fork`). */
  readonly newVersion: string | undefined;
}

export type GoModResult =
  { readonly ok: true; readonly file: GoModFile } | { readonly ok: false; readonly error: string };

const directives = new Set([
  'module',
  'go',
  'toolchain',
  'godebug',
  'require',
  'exclude',
  'replace',
  'retract',
  'tool',
  'ignore',
]);

interface Line {
  readonly tokens: readonly string[];
  readonly comment: string;
}

/** Splits one line into tokens: bare words, `(` and `)`, interpreted "strings" and `raw strings`. */
function lexLine(text: string): Line | string {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') return { tokens, comment: text.slice(i + 2).trim() };
    if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
      continue;
    }
    if (c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
      }
      if (j >= text.length) return 'unterminated quoted string';
      tokens.push(value);
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return 'unterminated raw string';
      tokens.push(text.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s()"`]/.test(text[j] ?? ' ')) {
      if (text[j] === '/' && text[j + 1] === '/') break;
      j++;
    }
    tokens.push(text.slice(i, j));
    i = j;
  }
  return { tokens, comment: '' };
}

/** `// indirect` or `// indirect; other notes` (https://go.dev/ref/mod#go-mod-file-require). */
function isIndirect(comment: string): boolean {
  return comment === 'indirect' || comment.startsWith('indirect;');
}

/**
 * Parses a go.mod file (https://go.dev/ref/mod#go-mod-file-grammar): line-oriented directives,
 * `verb ( ... )` blocks, `//` comments. An unknown directive or a malformed `require`/`replace`
 * fails the whole file, as it fails the go command.
 */
export function parseGoMod(text: string): GoModResult {
  let module: string | undefined;
  let go: string | undefined;
  let toolchain: string | undefined;
  const requires: GoRequire[] = [];
  const replaces: GoReplace[] = [];
  let block: string | undefined;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const lexed = lexLine(lines[index] ?? '');
    const where = `line ${index + 1}`;
    if (typeof lexed === 'string') return { ok: false, error: `${where}: ${lexed}` };
    const { tokens, comment } = lexed;
    if (tokens.length === 0) continue;
    let verb: string;
    let args: readonly string[];
    if (block !== undefined) {
      if (tokens.length === 1 && tokens[0] === ')') {
        block = undefined;
        continue;
      }
      verb = block;
      args = tokens;
    } else {
      verb = tokens[0] ?? '';
      if (!directives.has(verb)) return { ok: false, error: `${where}: unknown directive: ${verb}` };
      if (tokens[1] === '(') {
        if (tokens.length === 2) block = verb;
        else if (tokens.length !== 3 || tokens[2] !== ')')
          return { ok: false, error: `${where}: malformed block` };
        continue;
      }
      args = tokens.slice(1);
    }
    switch (verb) {
      case 'module':
        module = args[0];
        break;
      case 'go':
        go = args[0];
        break;
      case 'toolchain':
        toolchain = args[0];
        break;
      case 'require': {
        const [path, version] = args;
        if (args.length !== 2 || path === undefined || version === undefined)
          return { ok: false, error: `${where}: usage: require module/path v1.2.3` };
        requires.push({ path, version, indirect: isIndirect(comment) });
        break;
      }
      case 'replace': {
        const arrow = args.indexOf('=>');
        const left = args.slice(0, arrow);
        const right = args.slice(arrow + 1);
        const [oldPath, oldVersion] = left;
        const [newPath, newVersion] = right;
        if (
          arrow < 1 ||
          left.length > 2 ||
          right.length < 1 ||
          right.length > 2 ||
          oldPath === undefined ||
          newPath === undefined
        )
          return {
            ok: false,
            error: `${where}: usage: replace module/path [v1.2.3] => other/module v1.4 | ./dir`,
          };
        replaces.push({ oldPath, oldVersion, newPath, newVersion });
        break;
      }
      default:
        break;
    }
  }
  if (block !== undefined) return { ok: false, error: `unterminated ${block} block` };
  return { ok: true, file: { module, go, toolchain, requires, replaces } };
}
