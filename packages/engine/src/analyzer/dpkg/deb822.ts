/** One paragraph of a deb822 file. */
export interface Deb822Paragraph {
  /**
   * Field values by field name in lower case (deb822 names are case-insensitive). A value is its first
   * line, trimmed, followed by each continuation line on its own line with its leading space or tab
   * removed and trailing white space trimmed. The first occurrence of a repeated field wins.
   */
  readonly fields: ReadonlyMap<string, string>;
  /** The 1-based line where the paragraph starts. */
  readonly line: number;
}

export interface Deb822Problem {
  readonly line: number;
  readonly message: string;
}

export interface Deb822Document {
  readonly paragraphs: readonly Deb822Paragraph[];
  /** The first few problems, in file order; `problemCount` counts them all. */
  readonly problems: readonly Deb822Problem[];
  readonly problemCount: number;
}

/** Problems kept in full per file: enough to report, bounded for hostile input. */
const keptProblems = 10;
/** deb822(5): any US-ASCII except controls, space and colon; not starting with `#` or `-`. */
const fieldName = /^[!-9;-~]+$/;

/**
 * Parses a deb822 control file (dpkg `status`, `status.d/*`, DEP-5 `copyright`): paragraphs separated by
 * blank lines, `Name: value` fields, continuation lines starting with a space or a tab. Lines of white
 * space only separate paragraphs and `#` lines are comments, as deb822(5) allows. A line that is neither
 * a field nor a continuation is a problem, reported and skipped; parsing goes on.
 * https://man7.org/linux/man-pages/man5/deb822.5.html
 */
export function parseDeb822(text: string): Deb822Document {
  const paragraphs: Deb822Paragraph[] = [];
  const problems: Deb822Problem[] = [];
  let problemCount = 0;
  const problem = (line: number, message: string): void => {
    problemCount++;
    if (problems.length < keptProblems) problems.push({ line, message });
  };

  let fields = new Map<string, string>();
  let start = 0;
  /** The field continuation lines extend; `rejected` drops them after a bad field line. */
  let current: string | undefined;
  let rejected = false;
  const close = (): void => {
    if (fields.size > 0) paragraphs.push({ fields, line: start });
    fields = new Map();
    current = undefined;
    rejected = false;
  };

  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] ?? '';
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const number = index + 1;
    if (line.trim() === '') {
      close();
      continue;
    }
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      if (current === undefined) {
        if (!rejected) problem(number, 'continuation line outside a field');
        continue;
      }
      const value = fields.get(current);
      if (value !== undefined) fields.set(current, `${value}\n${line.slice(1).trimEnd()}`);
      continue;
    }
    if (first === 0x23) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    current = undefined;
    rejected = true;
    if (!fieldName.test(name) || name.startsWith('-')) {
      problem(number, colon > 0 ? 'invalid field name' : 'line is neither a field nor a continuation');
      continue;
    }
    if (fields.size === 0) start = number;
    const key = name.toLowerCase();
    if (fields.has(key)) {
      problem(number, `repeated field ${name.slice(0, 64)}`);
      continue;
    }
    fields.set(key, line.slice(colon + 1).trim());
    current = key;
    rejected = false;
  }
  close();
  return { paragraphs, problems, problemCount };
}
