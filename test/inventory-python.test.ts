/**
 * The Python installed analyzer against the real metadata Debian installs under
 * /usr/lib/python3/dist-packages (the test setup installs python3-requests, python3-yaml and
 * python3-six). Oracles: pypa's importlib.metadata, which must see the same name@version set, and
 * dpkg-query, whose upstream versions the analyzer must report for requests, PyYAML and six.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Fact } from '../packages/engine/src/analyzer/fact.ts';
import { pythonInstalledAnalyzer } from '../packages/engine/src/analyzer/python/index.ts';
import { normalizeName } from '../packages/engine/src/analyzer/python/package-name.ts';

const distPackages = '/usr/lib/python3/dist-packages';
const layer = { index: 0, digest: 'sha256:' + '0'.repeat(64), diffId: undefined, createdBy: undefined };
/** Debian binary package → the PyPI project it packages. */
const debianPackages = {
  'python3-requests': 'requests',
  'python3-yaml': 'PyYAML',
  'python3-six': 'six',
} as const;

/** Every metadata file the analyzer wants below dist-packages, as image paths (no leading slash). */
function metadataFiles(): string[] {
  const suffixes = pythonInstalledAnalyzer.wants.suffixes ?? [];
  return readdirSync(distPackages, { recursive: true, encoding: 'utf8' })
    .map((relative) => join(distPackages, relative))
    .filter((path) => suffixes.some((suffix) => path.endsWith(suffix)) && statSync(path).isFile())
    .map((path) => path.slice(1));
}

async function analyzeAll(): Promise<readonly Fact[]> {
  const facts: Fact[] = [];
  for (const path of metadataFiles()) {
    const content = readFileSync(`/${path}`);
    facts.push(
      ...(await pythonInstalledAnalyzer.analyze(
        { path, size: content.length, mode: 0o100644, content },
        { layer, signal: new AbortController().signal },
      )),
    );
  }
  return facts;
}

/** Debian `[epoch:]upstream[-revision]` → the upstream version PyPI knows: no epoch, revision or `+dfsg`-style repack suffix. */
function upstreamOf(debianVersion: string): string {
  const withoutEpoch = debianVersion.replace(/^\d+:/, '');
  const hyphen = withoutEpoch.lastIndexOf('-');
  const upstream = hyphen < 0 ? withoutEpoch : withoutEpoch.slice(0, hyphen);
  return upstream.replace(/[+~].*$/, '');
}

describe('python inventory of Debian dist-packages', () => {
  it('finds the name@version set importlib.metadata finds', async () => {
    const facts = await analyzeAll();
    assert.deepEqual(
      facts.filter((fact) => fact.kind === 'diagnostic'),
      [],
    );
    const found = new Set(
      facts.flatMap((fact) =>
        fact.kind === 'package' ? [`${normalizeName(fact.pkg.name)}@${fact.pkg.version}`] : [],
      ),
    );
    const script = [
      'import importlib.metadata as m, json',
      `print(json.dumps([[d.metadata["Name"], d.version] for d in m.distributions(path=[${JSON.stringify(distPackages)}])]))`,
    ].join('\n');
    const oracle: unknown = JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' }));
    assert.ok(Array.isArray(oracle));
    const expected = new Set(
      oracle.map((entry) =>
        Array.isArray(entry) ? `${normalizeName(String(entry[0]))}@${String(entry[1])}` : '',
      ),
    );
    assert.deepEqual([...found].sort(), [...expected].sort());
  });

  for (const [debian, project] of Object.entries(debianPackages)) {
    it(`reports ${project} at the upstream version of ${debian}`, async () => {
      let debianVersion = '';
      try {
        debianVersion = execFileSync('dpkg-query', ['-W', '-f=${Version}', debian], { encoding: 'utf8' });
      } catch {
        assert.fail(
          `${debian} is not installed: apt-get install -y python3-requests python3-yaml python3-six`,
        );
      }
      const facts = await analyzeAll();
      const versions = facts.flatMap((fact) =>
        fact.kind === 'package' && normalizeName(fact.pkg.name) === normalizeName(project) ? [fact.pkg] : [],
      );
      assert.deepEqual(
        versions.map((pkg) => [pkg.name, pkg.version, pkg.purl]),
        [
          [
            project,
            upstreamOf(debianVersion),
            `pkg:pypi/${normalizeName(project)}@${upstreamOf(debianVersion)}`,
          ],
        ],
      );
    });
  }
});
