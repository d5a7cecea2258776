export interface LockedGem {
  readonly name: string;
  readonly version: string;
  /** The platform suffix of a platform-specific gem (`x86_64-linux`); undefined for pure Ruby. */
  readonly platform: string | undefined;
}

const sourceSections = new Set(['GEM', 'GIT', 'PATH', 'PLUGIN SOURCE']);

/**
 * Reads the gems a Bundler lock file pins (https://bundler.io/guides/bundler_lockfile.html, the
 * format of Bundler's LockfileParser): the `specs:` of every source section (GEM, GIT, PATH,
 * PLUGIN SOURCE), one gem per line indented by exactly four spaces, `name (version[-platform])`.
 * Dependency lines (six spaces), PLATFORMS, DEPENDENCIES, CHECKSUMS and the rest are skipped, as
 * are lines of any other shape: Bundler's own parser is just as forgiving.
 */
export function parseGemfileLock(text: string): LockedGem[] {
  const gems: LockedGem[] = [];
  let inSource = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '') continue;
    if (!line.startsWith(' ')) {
      inSource = sourceSections.has(line.trim());
      continue;
    }
    if (!inSource) continue;
    const match = /^ {4}([^\s(]+) \(([^)\s]+)\)$/.exec(line);
    if (match === null) continue;
    const [, name = '', full = ''] = match;
    // RubyGems versions never contain `-`: what follows the first one is the platform.
    const dash = full.indexOf('-');
    const version = dash < 0 ? full : full.slice(0, dash);
    const platform = dash < 0 ? undefined : full.slice(dash + 1);
    gems.push({ name, version, platform });
  }
  return gems;
}
