/** One simple command of a RUN script: `apt-get install -y curl`, one stage of `curl x | sh`. */
export interface ShellCommand {
  /** The words with quotes and escapes removed; leading assignments and reserved words dropped. */
  readonly words: readonly string[];
  /** `NAME=value` words written before the command (`PIP_NO_CACHE_DIR=1 pip install x`). */
  readonly assignments: readonly string[];
  /** Commands joined by `|` share a pipeline number. */
  readonly pipeline: number;
  /** Position in the pipeline: 0 for the first command. */
  readonly stage: number;
}

/** Words that open or close a compound command: what follows them is the command. */
const reservedWords = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'do',
  'done',
  'while',
  'until',
  '!',
  '{',
  '}',
]);
const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Splits a shell script into simple commands: a light reading of POSIX shell, enough to see which
 * programs a build step runs with which arguments. Quotes (`'...'`, `"..."`), backslash escapes and
 * line continuations are honoured; `;`, `&&`, `||`, `&`, newlines, `(`, `)`, `$(` and backticks end
 * a command; `|` ends a stage of a pipeline; comments are skipped; redirections are dropped with
 * their operators (their targets stay as words). Heredoc bodies and `case` patterns are read as
 * commands, which at worst reports a command that never runs.
 */
export function shellCommands(script: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: string[] = [];
  let word: string | undefined;
  let pipeline = 0;
  let stage = 0;
  let afterPipe = false;

  const endWord = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = (nextStage: 'pipe' | 'new') => {
    endWord();
    let start = 0;
    const assignments: string[] = [];
    while (start < words.length) {
      const current = words[start] ?? '';
      if (reservedWords.has(current)) start++;
      else if (assignment.test(current)) assignments.push(words[start++] ?? '');
      else break;
    }
    const found = start < words.length || assignments.length > 0;
    if (found) commands.push({ words: words.slice(start), assignments, pipeline, stage });
    words = [];
    if (nextStage === 'pipe') {
      stage++;
      afterPipe = true;
    } else if (found || !afterPipe) {
      // A newline right after `|` continues the pipeline.
      pipeline++;
      stage = 0;
      afterPipe = false;
    }
  };

  let at = 0;
  const text = script.replace(/\\\r?\n/g, '');
  while (at < text.length) {
    const char = text[at] ?? '';
    const next = text[at + 1] ?? '';
    if (char === ' ' || char === '\t') {
      endWord();
      at++;
    } else if (char === '\\') {
      word = (word ?? '') + next;
      at += 2;
    } else if (char === "'") {
      const close = text.indexOf("'", at + 1);
      const end = close === -1 ? text.length : close;
      word = (word ?? '') + text.slice(at + 1, end);
      at = end + 1;
    } else if (char === '"') {
      const { value, end } = doubleQuoted(text, at + 1);
      word = (word ?? '') + value;
      at = end + 1;
    } else if (char === '#' && word === undefined) {
      const newline = text.indexOf('\n', at);
      at = newline === -1 ? text.length : newline;
    } else if (char === '|' && next !== '|') {
      endCommand('pipe');
      at += next === '&' ? 2 : 1;
    } else if (
      char === '\n' ||
      char === ';' ||
      char === '&' ||
      char === '|' ||
      char === '(' ||
      char === ')' ||
      char === '`'
    ) {
      endCommand('new');
      at +=
        (char === '&' && next === '&') || (char === '|' && next === '|') || (char === ';' && next === ';')
          ? 2
          : 1;
    } else if (char === '$' && next === '(') {
      endCommand('new');
      at += 2;
    } else if (char === '<' || char === '>') {
      at = redirectionEnd(text, at);
      // The file descriptor written before the operator (`2>`) is not a word.
      if (word !== undefined && /^\d+$/.test(word)) word = undefined;
      endWord();
    } else {
      word = (word ?? '') + char;
      at++;
    }
  }
  endCommand('new');
  return commands;
}

/** The value of a double-quoted string starting at `from`, and the index of its closing quote. */
function doubleQuoted(text: string, from: number): { value: string; end: number } {
  let value = '';
  let at = from;
  while (at < text.length && text[at] !== '"') {
    const char = text[at] ?? '';
    if (char === '\\' && /["\\$`]/.test(text[at + 1] ?? '')) {
      value += text[at + 1];
      at += 2;
    } else {
      value += char;
      at++;
    }
  }
  return { value, end: at };
}

/** Past a redirection operator: `>`, `>>`, `<`, `<<`, `<<<`, `>&2`, `2>&1`, `<(`; not past `(`. */
function redirectionEnd(text: string, at: number): number {
  let end = at + 1;
  while (/[<>|]/.test(text[end] ?? '')) end++;
  if (text[end] === '&') {
    end++;
    while (/[\d-]/.test(text[end] ?? '')) end++;
  }
  return end;
}

/** The last path segment of a command name: `/usr/bin/curl` → `curl`. */
export function commandName(word: string | undefined): string {
  if (word === undefined) return '';
  return word.slice(word.lastIndexOf('/') + 1);
}

/** Programs that run another program given in their arguments, with their options that take a value. */
const wrappers: Readonly<
  Record<string, { readonly valued: ReadonlySet<string>; readonly operands: number }>
> = {
  sudo: { valued: new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T']), operands: 0 },
  env: { valued: new Set(['-u', '-C', '-S', '--unset', '--chdir']), operands: 0 },
  exec: { valued: new Set(['-a']), operands: 0 },
  command: { valued: new Set(), operands: 0 },
  nohup: { valued: new Set(), operands: 0 },
  time: { valued: new Set(['-f', '-o']), operands: 0 },
  nice: { valued: new Set(['-n']), operands: 0 },
  gosu: { valued: new Set(), operands: 1 },
  'su-exec': { valued: new Set(), operands: 1 },
  chroot: { valued: new Set(['--userspec', '--groups']), operands: 1 },
};

/**
 * The wrappers a command runs through and the command it finally runs: `sudo -E env X=1 apt-get
 * install x` → wrappers `sudo`, `env`; command `apt-get install x`.
 */
export function unwrapCommand(words: readonly string[]): { wrappers: string[]; command: readonly string[] } {
  const found: string[] = [];
  let at = 0;
  for (;;) {
    const name = commandName(words[at]);
    const wrapper = wrappers[name];
    if (wrapper === undefined || at >= words.length - 1) break;
    found.push(name);
    at++;
    while (at < words.length) {
      const word = words[at] ?? '';
      if (word === '--') {
        at++;
        break;
      }
      if (wrapper.valued.has(word)) at += 2;
      else if (word.startsWith('-') || (name === 'env' && assignment.test(word))) at++;
      else break;
    }
    at += wrapper.operands;
  }
  return { wrappers: found, command: words.slice(at) };
}
