/**
 * The npm analyzers against a real node_modules tree: `npm install --ignore-scripts` of a few
 * packages from the npm registry into a temporary directory (express@4 brings debug@2 and ms@2.0.0,
 * which conflict with the top-level debug@4 and ms@2.1.x and so are nested; @babel/code-frame is
 * scoped; resolve ships test fixtures holding package.json files), then the set of name@version the analyzers find equals what `npm ls --all --json`
 * reports: from every node_modules/**\/package.json, and from the package-lock.json npm wrote.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EachFileAnalyzer } from '../packages/engine/src/analyzer/contract.ts';
import type { Fact } from '../packages/engine/src/analyzer/fact.ts';
import { npmInstalledAnalyzer, npmLockAnalyzer } from '../packages/engine/src/analyzer/npm/index.ts';

const layer = { index: 0, digest: 'sha256:' + '0'.repeat(64), diffId: undefined, createdBy: undefined };
/** resolve@1 ships test fixtures with package.json files of their own, which are not packages. */
const installed = ['express@4', 'debug@4', '@babel/code-frame@7', 'resolve@1'];

describe('npm inventory of a real node_modules tree', () => {
  let project = '';

  before(() => {
    project = mkdtempSync(join(tmpdir(), 'drydock-npm-inventory-'));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'inventory-fixture', version: '1.0.0', private: true }),
    );
    execFileSync(
      'npm',
      ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', ...installed],
      {
        cwd: project,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 300_000,
      },
    );
  });

  after(() => {
    if (project !== '') rmSync(project, { recursive: true, force: true });
  });

  /** name@version of every package `npm ls` shows, the tree flattened. */
  function npmLs(): Set<string> {
    const tree: unknown = JSON.parse(
      execFileSync('npm', ['ls', '--all', '--json'], { cwd: project, encoding: 'utf8' }),
    );
    const found = new Set<string>();
    const pending: unknown[] = [tree];
    for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
      const dependencies = isRecord(node) ? node['dependencies'] : undefined;
      if (!isRecord(dependencies)) continue;
      for (const [name, child] of Object.entries(dependencies)) {
        if (isRecord(child) && typeof child['version'] === 'string') found.add(`${name}@${child['version']}`);
        pending.push(child);
      }
    }
    return found;
  }

  async function analyzeFile(analyzer: EachFileAnalyzer, relative: string): Promise<readonly Fact[]> {
    const content = readFileSync(join(project, relative));
    // As in an image: the project sits at app/ below the root.
    const path = `app/${relative}`;
    return analyzer.analyze(
      { path, size: content.length, mode: 0o100644, content },
      { layer, signal: new AbortController().signal },
    );
  }

  function packagesFrom(facts: readonly Fact[]): string[] {
    return facts.flatMap((fact) => (fact.kind === 'package' ? [`${fact.pkg.name}@${fact.pkg.version}`] : []));
  }

  it('finds from node_modules/**/package.json exactly the packages npm ls reports', async () => {
    const files = readdirSync(join(project, 'node_modules'), { recursive: true, encoding: 'utf8' })
      .map((relative) => `node_modules/${relative}`)
      .filter((relative) => relative.endsWith('package.json'));
    const wanted = files.filter((relative) =>
      npmInstalledAnalyzer.wants.match?.(`app/${relative}`, 0, 0o100644),
    );
    assert.ok(
      wanted.length < files.length,
      'some package.json files are not manifests of installed packages',
    );
    assert.ok(
      wanted.some((relative) => relative.split('node_modules/').length > 2),
      'the tree has nested node_modules',
    );
    const facts = (
      await Promise.all(wanted.map((relative) => analyzeFile(npmInstalledAnalyzer, relative)))
    ).flat();
    assert.deepEqual(
      facts.filter((fact) => fact.kind === 'diagnostic'),
      [],
    );
    const found = new Set(packagesFrom(facts));
    const expected = npmLs();
    assert.ok(
      [...expected].some((id) => id.startsWith('@babel/code-frame@')),
      'a scoped package',
    );
    assert.ok([...expected].filter((id) => id.startsWith('debug@')).length >= 2, 'two versions of debug');
    assert.deepEqual([...found].sort(), [...expected].sort());
  });

  it('finds the same packages in the package-lock.json npm wrote', async () => {
    const facts = await analyzeFile(npmLockAnalyzer, 'package-lock.json');
    assert.deepEqual(
      facts.filter((fact) => fact.kind === 'diagnostic'),
      [],
    );
    assert.deepEqual(new Set(packagesFrom(facts)), npmLs());
  });
});

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
