/**
 * Live oracle (RECIPES.md section 4): golang.org/x/mod/semver itself, from Debian's
 * golang-golang-x-mod-dev built offline in GOPATH mode, orders 2,000 pairs of real Go versions
 * (every version the Go records of ../shared/vulndata name) in one process, and so does Drydock:
 * they must agree on every pair. The oracle reads the versions with the `v`; goScheme gets them as
 * OSV writes them, without it. golang-go and golang-golang-x-mod-dev must be installed (their
 * absence fails the test).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { disagreements, runOracle } from '../oracle-batch.ts';
import { drawPairs, oracleSeed } from '../oracle-pairs.ts';
import { versionsOfOsvFile } from '../real-versions.ts';
import { goScheme } from './scheme.ts';

const oracleSource = `package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/semver"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		f := strings.Fields(in.Text())
		if len(f) == 2 {
			fmt.Fprintln(out, semver.Compare("v"+f[0], "v"+f[1]))
		}
	}
}
`;

/** Builds the oracle program; GOPATH mode finds x/mod in Debian's /usr/share/gocode, no network. */
function buildOracle(folder: string): string {
  writeFileSync(join(folder, 'main.go'), oracleSource);
  const binary = join(folder, 'gocmp');
  const env = {
    ...process.env,
    GOPATH: '/usr/share/gocode',
    GO111MODULE: 'off',
    GOFLAGS: '',
    GOCACHE: join(folder, 'cache'),
  };
  try {
    execFileSync('go', ['build', '-o', binary, '.'], { cwd: folder, env, stdio: 'pipe' });
  } catch (error) {
    assert.fail(
      `building the x/mod oracle needs Debian's golang-go and golang-golang-x-mod-dev: ${String(error)}`,
    );
  }
  return binary;
}

describe('Go against golang.org/x/mod/semver', () => {
  const folder = mkdtempSync(join(tmpdir(), 'drydock-gocmp-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const versions = versionsOfOsvFile('golang-vulndb/Go.jsonl', 'Go');

  it('every real version is valid', () => {
    assert.ok(versions.size > 2_000, `${versions.size} versions`);
    for (const version of versions) assert.ok(goScheme.isValid(version), version);
  });

  it('2,000 random pairs agree', () => {
    const seed = oracleSeed();
    const pairs = drawPairs(versions, 2_000, seed);
    const results = runOracle({ command: buildOracle(folder), args: [] }, pairs);
    assert.deepEqual(disagreements(goScheme.compare, pairs, results), [], `seed ${seed}`);
    assert.ok(results.filter((result) => result !== '0').length > 1_500, 'mostly distinct versions');
  });
});
