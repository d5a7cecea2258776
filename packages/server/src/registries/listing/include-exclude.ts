/**
 * A connection's include/exclude filter over its images. A pattern names a repository
 * (`library/*`) or a repository and tag (`library/nginx:1.*`, split at the first `:`, since
 * repository paths never contain one). In both parts `*` matches any characters except `/`, `**`
 * any characters including `/`, `**` followed by `/` also matches nothing (so `**` + `/nginx`
 * matches a top-level `nginx`), and `?` one character except `/`; everything else is literal.
 * An image passes when the include list is empty or an include pattern matches it, and no
 * exclude pattern matches it: exclude wins.
 */
export interface ImageFilter {
  /**
   * False when no tag of `repository` can pass, so a lister skips the repository without listing
   * its tags. True does not promise that any tag passes.
   */
  repositoryMayMatch(repository: string): boolean;
  matches(repository: string, tag: string): boolean;
}

interface CompiledPattern {
  readonly repository: RegExp;
  /** Undefined for a repository-only pattern. */
  readonly tag: RegExp | undefined;
}

/** The regular expression of one glob part (anchored). */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index] ?? '';
    if (char === '*' && glob[index + 1] === '*') {
      index += 1;
      if (glob[index + 1] === '/') {
        // `**/` also matches nothing, so `**/nginx` matches a top-level `nginx`.
        index += 1;
        source += '(?:.*/)?';
      } else {
        source += '.*';
      }
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
}

function compile(pattern: string): CompiledPattern {
  const colon = pattern.indexOf(':');
  if (colon === -1) return { repository: globToRegExp(pattern), tag: undefined };
  return {
    repository: globToRegExp(pattern.slice(0, colon)),
    tag: globToRegExp(pattern.slice(colon + 1)),
  };
}

function matchesImage(pattern: CompiledPattern, repository: string, tag: string): boolean {
  return pattern.repository.test(repository) && (pattern.tag === undefined || pattern.tag.test(tag));
}

export function compileImageFilter(include: readonly string[], exclude: readonly string[]): ImageFilter {
  const includes = include.map(compile);
  const excludes = exclude.map(compile);
  return {
    repositoryMayMatch: (repository) =>
      (includes.length === 0 || includes.some((pattern) => pattern.repository.test(repository))) &&
      !excludes.some((pattern) => pattern.tag === undefined && pattern.repository.test(repository)),
    matches: (repository, tag) =>
      (includes.length === 0 || includes.some((pattern) => matchesImage(pattern, repository, tag))) &&
      !excludes.some((pattern) => matchesImage(pattern, repository, tag)),
  };
}
