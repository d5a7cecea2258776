/**
 * The hostile images corpus (scripts/hostile-images.ts) through the real `drydock image`: every
 * case ends in exactly the typed failure or the result facts its manifest entry names, within a
 * time and heap bound, and nothing is written outside the scan (the working directory, TMPDIR and
 * HOME of the command stay empty, but for the launcher's compile cache; no name
 * carrying the corpus marker appears anywhere).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ScanReport } from '@drydock/engine';
import { generateHostileCorpus, type CorpusCase, type ExpectedFacts } from '../scripts/hostile-images.ts';
import { runDrydock, type CliResult } from './harness/drydock-cli.ts';

const sandbox = await mkdtemp(join(tmpdir(), 'drydock-hostile-corpus-'));
const corpus = join(sandbox, 'corpus');
const home = join(sandbox, 'home');
const scratch = join(sandbox, 'tmp');
const cache = join(sandbox, 'cache');
const work = join(sandbox, 'work');
for (const directory of [home, scratch, cache, work]) await mkdir(directory, { recursive: true });
const manifest = await generateHostileCorpus(corpus);

/** Each run may take this long before it is killed (a hang fails its case), with this much heap. */
const runBound = { timeoutMs: 90_000, heapMiB: 512 };

function run(args: readonly string[]): Promise<CliResult> {
  return runDrydock(['image', ...args], {
    cwd: work,
    timeoutMs: runBound.timeoutMs,
    env: {
      HOME: home,
      TMPDIR: scratch,
      DRYDOCK_CACHE_DIR: cache,
      NODE_OPTIONS: `--max-old-space-size=${runBound.heapMiB}`,
    },
  });
}

interface CaseRuns {
  readonly json: CliResult;
  readonly table?: CliResult;
}

/** Two commands at a time (the machine has two cores); each case awaits its own. */
function startRuns(cases: readonly CorpusCase[]): Map<string, Promise<CaseRuns>> {
  const runs = new Map<string, Promise<CaseRuns>>();
  let slots: Promise<unknown>[] = [Promise.resolve(), Promise.resolve()];
  cases.forEach((entry, index) => {
    const source = entry.source.replace('{corpus}', corpus);
    const args = entry.args ?? [];
    const slot = index % slots.length;
    const started = (slots[slot] ?? Promise.resolve()).then(async () => {
      const json = await run(['--format', 'json', ...args, source]);
      return entry.checkTable ? { json, table: await run(['--format', 'table', ...args, source]) } : { json };
    });
    slots = slots.map((previous, position) =>
      position === slot ? started.catch(() => undefined) : previous,
    );
    runs.set(entry.id, started);
  });
  return runs;
}

const runs = startRuns(manifest.cases);

after(async () => {
  await Promise.allSettled(runs.values());
  await rm(sandbox, { recursive: true, force: true });
});

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function assertFacts(report: ScanReport, facts: ExpectedFacts): void {
  assert.equal(report.images.length, 1);
  const [image] = report.images;
  if (image === undefined) return;
  if (facts.os !== undefined) {
    assert.equal(image.os ? `${image.os.family} ${image.os.version ?? ''}`.trim() : null, facts.os);
  }
  assert.deepEqual(
    sorted(image.diagnostics.map((entry) => entry.code)),
    sorted(facts.diagnostics),
    JSON.stringify(image.diagnostics.slice(0, 5)),
  );
  const largest = new Set(image.files.largest.map((entry) => entry.path));
  for (const path of facts.largest ?? [])
    assert.ok(largest.has(path), `${JSON.stringify(path)} is not listed`);
  for (const path of facts.absent ?? [])
    assert.ok(!largest.has(path), `${JSON.stringify(path)} is still there`);
  if (facts.files !== undefined) assert.equal(image.files.files, facts.files);
  if (facts.packageCount !== undefined) assert.equal(image.packages.length, facts.packageCount);
  const packages = new Set(
    image.packages.map((entry) => `${entry.ecosystem} ${entry.name} ${entry.version}`),
  );
  for (const expected of facts.packages ?? []) assert.ok(packages.has(expected), `${expected} is not found`);
  if (facts.secretRules !== undefined) {
    assert.deepEqual(sorted((image.secrets ?? []).map((entry) => entry.ruleId)), sorted(facts.secretRules));
  }
  if (facts.malwarePaths !== undefined) {
    assert.deepEqual(sorted((image.malware ?? []).map((entry) => entry.path)), sorted(facts.malwarePaths));
  }
}

/** The first C0 or C1 control or DEL in `text`, except the newline that ends table lines. */
function firstControl(text: string): number | undefined {
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code === 0x0a) continue;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return code;
  }
  return undefined;
}

function assertTableNeutralised(table: CliResult): void {
  assert.equal(table.code, 0, table.stderr);
  const control = firstControl(table.stdout);
  assert.equal(control, undefined, `the table holds U+${control?.toString(16).padStart(4, '0')}`);
  // A newline in a name stays in its cell, shown escaped, instead of starting a line of its own.
  assert.ok(table.stdout.includes('/ctl/new\\nline'), 'the newline in a name is shown escaped');
  assert.ok(
    table.stdout.includes('/ctl/\\x1b[2J\\x1b[31mred'),
    'the ESC sequence in a name is shown escaped',
  );
}

describe('hostile images corpus', () => {
  for (const entry of manifest.cases) {
    it(`${entry.id}: ${entry.attack}`, async () => {
      const outcome = await runs.get(entry.id);
      assert.ok(outcome, `no run for ${entry.id}`);
      const { json } = outcome;
      const expected = entry.expected;
      if (expected.kind === 'failure') {
        const code = expected.reason === undefined ? expected.code : `${expected.code} (${expected.reason})`;
        assert.equal(
          json.code,
          2,
          `expected [${code}], got status ${json.code}: ${json.stderr.slice(0, 400)}`,
        );
        assert.ok(json.stderr.includes(`drydock: error [${code}]`), json.stderr.slice(0, 400));
        assert.equal(
          firstControl(json.stderr),
          undefined,
          'the error quotes the image with its controls escaped',
        );
        assert.equal(json.stdout, '');
        return;
      }
      assert.equal(json.code, 0, json.stderr.slice(0, 400));
      assertFacts(JSON.parse(json.stdout) as ScanReport, expected.facts);
      if (outcome.table) assertTableNeutralised(outcome.table);
    });
  }

  it('writes nothing outside the scan, wherever the names of the corpus point', async () => {
    await Promise.allSettled(runs.values());
    assert.deepEqual(await readdir(work), [], 'the working directory stays empty');
    // tsx, which runs the command from source here, keeps its compile cache in TMPDIR.
    const temporary = (await readdir(scratch)).filter((name) => !/^tsx-\d+$/.test(name));
    assert.deepEqual(temporary, [], 'TMPDIR stays empty');
    // The launcher keeps V8's compile cache of the command's own modules in HOME: nothing else lands there.
    const codeCache = join('.cache', 'drydock', 'compile-cache');
    const inHome = (await readdir(home, { recursive: true })).filter(
      (name) =>
        name !== '.cache' &&
        name !== join('.cache', 'drydock') &&
        name !== codeCache &&
        !name.startsWith(`${codeCache}/`),
    );
    assert.deepEqual(inHome, [], 'HOME stays empty but for the compile cache');
    const marked = async (directory: string): Promise<string[]> =>
      (await readdir(directory, { recursive: true })).filter((name) => name.includes(manifest.marker));
    assert.deepEqual(await marked(cache), []);
    assert.deepEqual(
      (await readdir('/tmp')).filter((name) => name.includes(manifest.marker)),
      [],
      'nothing landed in /tmp',
    );
    assert.ok(!existsSync(`/etc/cron.d/${manifest.marker}`));
  });
});
