import type { HistoryEntry } from '../../image/types.ts';

/** Dockerfile instructions a history entry can record. */
export const instructionKeywords = [
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
] as const;
export type InstructionKeyword = (typeof instructionKeywords)[number];

/**
 * How the entry is written: `classic` is Docker's classic builder (and Buildah): `/bin/sh -c #(nop) CMD ...`
 * for metadata, the bare shell command for a RUN; `keyword` is `KEYWORD arguments` (BuildKit, Kaniko);
 * `unknown` is anything else.
 */
export type HistoryForm = 'classic' | 'keyword' | 'unknown';

/** A `--build-arg` value the builder recorded in front of a RUN (`|2 A=1 B=2 /bin/sh -c ...`). */
export interface BuildArgument {
  readonly name: string;
  readonly value: string;
}

/** One history entry's `created_by`, read as the instruction that made it. */
export interface HistoryInstruction {
  /** `undefined` when the text is not a recognisable instruction (`mmdebstrap`, a `# debian.sh` note). */
  readonly keyword: InstructionKeyword | undefined;
  readonly form: HistoryForm;
  /**
   * What follows the keyword. For RUN: the script given to the shell (shell form) or the command line
   * (exec form), without build arguments or the shell prefix.
   */
  readonly arguments: string;
  /** For a shell-form RUN: the shell and its options, as recorded (`/bin/sh -c`, `/bin/bash -o pipefail -c`). */
  readonly shell?: string;
  readonly buildArguments: readonly BuildArgument[];
}

/** One history entry with its position in `config.history` (evidence says `config:history/N`). */
export interface HistoryStep {
  readonly index: number;
  readonly createdBy: string;
  readonly comment: string | undefined;
  readonly instruction: HistoryInstruction;
}

const keywordSet: ReadonlySet<string> = new Set(instructionKeywords);

/** BuildKit marks the entries it writes for RUN, COPY and ADD with this suffix. */
const buildkitSuffix = /\s+# buildkit\s*$/;
/** One build setting Buildah appends to its entries (`... |inheritLabels=false`). */
const buildahSetting = /^\|[A-Za-z]+=\S*$/;

/**
 * The text without Buildah's trailing settings, each preceded by white space. Read word by word
 * from the end: an end-anchored regular expression for the run of settings is tried at every
 * start, which took seconds on a long history entry of `|a=b` words that ends otherwise.
 */
function withoutBuildahSuffix(text: string): string {
  let end = text.trimEnd().length;
  let kept = text.length;
  while (end > 0) {
    let start = end;
    while (start > 0 && !/\s/.test(text[start - 1] ?? '')) start--;
    if (start === 0 || !buildahSetting.test(text.slice(start, end))) break;
    end = text.slice(0, start).trimEnd().length;
    kept = end;
  }
  return text.slice(0, kept);
}
/** Docker's classic builder (and Buildah) record metadata instructions as a no-op shell command. */
const noOperation = /^(?:\/bin\/sh -c|cmd \/S \/C|\S+)\s+#\(nop\)\s*/;
/**
 * A shell and its options up to `-c` (any option cluster ending in `c`, `-o pipefail` in between):
 * `/bin/sh -c`, `/bin/bash -eux -o pipefail -c`, `sh -ec`; Windows' `cmd /S /C` and `powershell -Command`.
 */
const shellPrefix =
  /^((?:\S*\/)?(?:sh|bash|ash|dash|zsh|ksh|mksh)(?:\s+(?:[-+][A-Za-z]*o\s+\w+|[-+][A-Za-z]*[abd-z]))*\s+-[A-Za-z]*c|cmd \/S \/C|(?:\S*[\\/])?(?:powershell|pwsh)(?:\.exe)?(?:\s+-\w+(?:\s+\w+)?)*?\s+-Command)\s/i;
/** Build arguments: `|N` then N `NAME=value` words. */
const buildArgumentCount = /^\|(\d+)\s+/;

/** `|2 A=1 B=two words /bin/sh -c ...`: the arguments and the rest. Values may hold spaces; names never do. */
function splitBuildArguments(text: string): { args: BuildArgument[]; rest: string } {
  const count = buildArgumentCount.exec(text);
  if (count === null) return { args: [], rest: text };
  let rest = text.slice(count[0].length);
  const args: BuildArgument[] = [];
  for (let n = Number(count[1]); n > 0; n--) {
    const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(rest);
    if (name === null) break;
    rest = rest.slice(name[0].length);
    // A value ends where the next NAME= begins, or (for the last one) where the command begins.
    const end = n > 1 ? rest.search(/ [A-Za-z_][A-Za-z0-9_]*=/) : commandStart(rest);
    const value = end === -1 ? rest : rest.slice(0, end);
    args.push({ name: name[1] ?? '', value });
    rest = end === -1 ? '' : rest.slice(end + 1);
  }
  return { args, rest };
}

/** Where the command after the last build argument starts: at a shell when one follows, else at the first space. */
function commandStart(rest: string): number {
  for (let at = rest.indexOf(' '); at !== -1; at = rest.indexOf(' ', at + 1))
    if (shellPrefix.test(rest.slice(at + 1))) return at;
  return rest.indexOf(' ');
}

/**
 * A RUN's text: flags some tools keep (`--mount=type=cache,...`), build arguments, then the shell form
 * (`/bin/sh -c script`) or the exec form.
 */
function runInstruction(text: string, form: HistoryForm): HistoryInstruction {
  const { args, rest } = splitBuildArguments(text.trim().replace(/^(?:--[\w-]+(?:=\S*)?\s+)+/, ''));
  const shell = shellPrefix.exec(rest);
  if (shell !== null)
    return {
      keyword: 'RUN',
      form,
      arguments: rest.slice(shell[0].length).trim(),
      shell: shell[1] ?? '',
      buildArguments: args,
    };
  return { keyword: 'RUN', form, arguments: execFormCommand(rest), buildArguments: args };
}

/** `["apt-get","update"]` as a command line; other text unchanged. */
function execFormCommand(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return trimmed;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (Array.isArray(parsed) && parsed.every((word) => typeof word === 'string')) return parsed.join(' ');
  } catch {
    // Not JSON: BuildKit prints Go slices (`[apt-get update]`); keep the text.
  }
  return trimmed;
}

/** `KEYWORD rest` when the text starts with an instruction keyword (upper case, as builders write it). */
function keywordForm(text: string): { keyword: InstructionKeyword; rest: string } | undefined {
  const match = /^([A-Z]+)(?:\s+|$)/.exec(text);
  if (match === null || !keywordSet.has(match[1] ?? '')) return undefined;
  return { keyword: match[1] as InstructionKeyword, rest: text.slice(match[0].length).trim() };
}

/**
 * Reads a history entry's `created_by` in the forms builders write:
 * - Docker's classic builder: `/bin/sh -c #(nop)  CMD ["bash"]`, `/bin/sh -c #(nop) ADD file:<hash> in / `,
 *   a RUN as `/bin/sh -c apt-get update && ...`, with build arguments `|2 A=1 B=2 /bin/sh -c ...`;
 * - BuildKit: `RUN /bin/sh -c ... # buildkit`, `RUN |1 A=1 /bin/sh -c ... # buildkit`, `COPY . /app # buildkit`,
 *   `ENV A=1`, `USER app`, `EXPOSE map[22/tcp:{}]`, `HEALTHCHECK &{[...] ...}`;
 * - Buildah (classic forms with `|inheritLabels=false` appended) and Kaniko (`RUN apt-get update`).
 * Text that is none of these (`mmdebstrap`, a `# debian.sh` comment) has no keyword.
 */
export function parseHistoryInstruction(createdBy: string): HistoryInstruction {
  const text = withoutBuildahSuffix(createdBy.trim().replace(buildkitSuffix, ''));
  const nop = noOperation.exec(text);
  if (nop !== null) {
    const form = keywordForm(text.slice(nop[0].length).trim());
    return form === undefined
      ? { keyword: undefined, form: 'unknown', arguments: text, buildArguments: [] }
      : { keyword: form.keyword, form: 'classic', arguments: form.rest, buildArguments: [] };
  }
  const form = keywordForm(text);
  if (form?.keyword === 'RUN') return runInstruction(form.rest, 'keyword');
  if (form !== undefined)
    return { keyword: form.keyword, form: 'keyword', arguments: form.rest, buildArguments: [] };
  // The classic builder writes a RUN as the shell command itself, build arguments first.
  if (buildArgumentCount.test(text) || shellPrefix.test(text)) return runInstruction(text, 'classic');
  return { keyword: undefined, form: 'unknown', arguments: text, buildArguments: [] };
}

/** Every history entry, parsed, with its index; entries without `created_by` read as empty. */
export function historySteps(history: readonly HistoryEntry[]): HistoryStep[] {
  return history.map((entry, index) => {
    const createdBy = entry.createdBy ?? '';
    return { index, createdBy, comment: entry.comment, instruction: parseHistoryInstruction(createdBy) };
  });
}
