/** The arguments of an ADD or COPY as the history records them. */
export interface CopyArguments {
  /** `--chown=app`, `--checksum=sha256:...`, `--from=build`: name → value (`''` for a bare flag). */
  readonly flags: ReadonlyMap<string, string>;
  /**
   * The sources as written (BuildKit, Kaniko), or the classic builder's content reference: `file:<hash>`
   * for one file, `dir:<hash>` for a directory, `multi:<hash>` for several sources.
   */
  readonly sources: readonly string[];
  readonly destination: string;
  /** True for the classic builder's form (`file:<hash> in /dest`), where only the hash of the content is known. */
  readonly hashed: boolean;
}

/** The classic builder's (and Buildah's) `file:<hash> in <dest>`, `dir:<hash> in <dest>`, `multi:<hash> in <dest>`. */
const classicForm = /^((?:file|dir|multi):[0-9a-f]+)\s+in\s+(.+?)\s*$/;

/** Reads `--flag=value ... src... dest`, the JSON form `["src", "dest"]`, and the classic form. */
export function parseCopyArguments(text: string): CopyArguments {
  const flags = new Map<string, string>();
  let rest = text.trim();
  for (
    let flag = /^--([\w-]+)(?:=(\S*))?\s*/.exec(rest);
    flag !== null;
    flag = /^--([\w-]+)(?:=(\S*))?\s*/.exec(rest)
  ) {
    flags.set(flag[1] ?? '', flag[2] ?? '');
    rest = rest.slice(flag[0].length);
  }
  const classic = classicForm.exec(rest);
  if (classic !== null)
    return { flags, sources: [classic[1] ?? ''], destination: classic[2] ?? '', hashed: true };
  const words = jsonWords(rest) ?? rest.split(/\s+/).filter((word) => word !== '');
  return { flags, sources: words.slice(0, -1), destination: words.at(-1) ?? '', hashed: false };
}

function jsonWords(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((word) => typeof word === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}
