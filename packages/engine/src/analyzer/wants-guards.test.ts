import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WantsIndex } from '../layer/wants-index.ts';
import { executableDigestsAnalyzer } from './executables/analyzer.ts';
import { builtinAnalyzers } from './registry.ts';

describe('the wants of the built-in analyzers', () => {
  it("every built-in analyzer's guard lets through all that its predicate wants", () => {
    // Paths and modes each predicate accepts, and near misses; a guard that dropped one would lose files.
    const paths = [
      'var/lib/dpkg/info/libc6:amd64.list',
      'var/lib/dpkg/info/bash.md5sums',
      'usr/share/doc/bash/copyright',
      'app/node_modules/left-pad/package.json',
      'app/node_modules/@scope/name/package.json',
      'srv/requirements.txt',
      'srv/requirements-dev.txt',
      'usr/share/rubygems-integration/all/specifications/rake-13.0.6.gemspec',
      'specifications/a-1.gemspec',
      'app/gradle/dependency-locks/compileClasspath.lockfile',
      'usr/bin/restic',
      'usr/local/bin/tool.sh',
      'srv/records/00/1/123.json',
      'etc/passwd',
    ];
    const modes = [0o644, 0o755, 0o4711, 0o100];
    const sizes = [0, 100, 2 * 1024 * 1024];
    let accepted = 0;
    for (const candidate of [...builtinAnalyzers, executableDigestsAnalyzer]) {
      const { match, matchGuard } = candidate.wants;
      if (!match || !matchGuard) continue;
      for (const path of paths)
        for (const mode of modes)
          for (const size of sizes) {
            if (!match(path, size, mode)) continue;
            accepted++;
            const passes =
              (matchGuard.suffixes?.some((suffix) => path.endsWith(suffix)) ?? true) &&
              (matchGuard.executable !== true || (mode & 0o111) !== 0);
            assert.ok(passes, `${candidate.id}: ${path} ${mode.toString(8)} ${size}`);
            assert.ok(
              new WantsIndex([candidate]).match(path, size, mode)?.includes(0),
              `${candidate.id}: ${path}`,
            );
          }
    }
    assert.ok(accepted > 30, `the paths exercise the predicates (${accepted} accepted)`);
  });
});
