/**
 * The module information of a Go executable, in the text format of `runtime/debug.BuildInfo`
 * (https://pkg.go.dev/runtime/debug#ParseBuildInfo, https://go.dev/src/runtime/debug/mod.go):
 * tab-separated lines `path`, `mod`, `dep`, `=>` (replacing the module of the line before) and
 * `build`.
 */
export interface GoModule {
  readonly path: string;
  readonly version: string;
  readonly sum: string;
  readonly replace: GoModule | undefined;
}

export interface GoBuildInfo {
  /** The main package path (`path` line); empty when absent. */
  readonly path: string;
  readonly main: GoModule | undefined;
  readonly deps: readonly GoModule[];
  /** `build` settings in order, `key=value` as written (`-ldflags`, `vcs.revision`, ...). */
  readonly settings: readonly (readonly [string, string])[];
}

export type ParsedBuildInfo =
  { readonly ok: true; readonly info: GoBuildInfo } | { readonly ok: false; readonly error: string };

interface MutableModule {
  path: string;
  version: string;
  sum: string;
  replace: GoModule | undefined;
}

function moduleLine(columns: readonly string[]): MutableModule | undefined {
  if (columns.length !== 2 && columns.length !== 3) return undefined;
  return { path: columns[0] ?? '', version: columns[1] ?? '', sum: columns[2] ?? '', replace: undefined };
}

/**
 * A `build` setting: `key=value`, the value quoted Go-style when it holds spaces, tabs, quotes or
 * newlines (`-ldflags="-X main.version=1.2.3"`). Quoted values are unquoted; anything else is
 * kept as written.
 */
function buildSetting(text: string): readonly [string, string] | undefined {
  const equals = text.indexOf('=');
  if (equals <= 0) return undefined;
  const key = text.slice(0, equals);
  const raw = text.slice(equals + 1);
  if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) {
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value === 'string') return [key, value];
    } catch {
      // Go escapes JSON does not know (\x.., \a) stay as written.
    }
  }
  return [key, raw];
}

/** Parses modinfo text as Go's `ParseBuildInfo` does; a malformed module or build line fails the whole text. */
export function parseBuildInfo(text: string): ParsedBuildInfo {
  let path = '';
  let main: MutableModule | undefined;
  const deps: MutableModule[] = [];
  const settings: (readonly [string, string])[] = [];
  let last: MutableModule | undefined;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const fail = (reason: string): ParsedBuildInfo => ({ ok: false, error: `line ${index + 1}: ${reason}` });
    if (line === '') continue;
    const tab = line.indexOf('\t');
    const word = tab < 0 ? line : line.slice(0, tab);
    const rest = tab < 0 ? '' : line.slice(tab + 1);
    switch (word) {
      case 'go':
        break;
      case 'path':
        path = rest;
        last = undefined;
        break;
      case 'mod': {
        const module = moduleLine(rest.split('\t'));
        if (module === undefined) return fail('expected 2 or 3 columns');
        main = module;
        last = module;
        break;
      }
      case 'dep': {
        const module = moduleLine(rest.split('\t'));
        if (module === undefined) return fail('expected 2 or 3 columns');
        deps.push(module);
        last = module;
        break;
      }
      case '=>': {
        const columns = rest.split('\t');
        if (columns.length !== 3) return fail('expected 3 columns for replacement');
        if (last === undefined) return fail('replacement with no module on previous line');
        last.replace = {
          path: columns[0] ?? '',
          version: columns[1] ?? '',
          sum: columns[2] ?? '',
          replace: undefined,
        };
        last = undefined;
        break;
      }
      case 'build': {
        const setting = buildSetting(rest);
        if (setting === undefined) return fail('invalid build setting');
        settings.push(setting);
        last = undefined;
        break;
      }
      default:
        // Lines of kinds a later Go may add are ignored, as Go's parser ignores them.
        break;
    }
  }
  return { ok: true, info: { path, main, deps, settings } };
}
