/**
 * Live oracle (RECIPES.md section 4): 2,000 pairs drawn from the versions of the Maven vectors
 * (osv-scalibr's come from real advisories) ordered by Maven 3.8.7's own `ComparableVersion`
 * (Debian's maven3-artifact jar, one JVM running a single-file Java program) and by Drydock:
 * they must agree on every pair. The same JVM also orders every vector that maven-three-nine.ts
 * names, proving that Maven 3.8.7 orders them as Drydock does, and the cycles of
 * known-cycles.ts, proving that Maven's order itself has them. Java and the jar are installed by
 * scripts/debian-packages.sh (openjdk-17-jdk-headless, libmaven3-core-java); their absence fails.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { disagreements, runOracle, type OracleCommand } from '../oracle-batch.ts';
import { drawPairs, oracleSeed, type VersionPair } from '../oracle-pairs.ts';
import { versionsOfVectors } from '../real-versions.ts';
import { readComparisonLines } from '../vector-files.ts';
import { mavenCycles } from './known-cycles.ts';
import { mavenThreeNineExceptions } from './maven-three-nine.ts';
import { mavenScheme } from './scheme.ts';

const jar = '/usr/share/java/maven3-artifact-3.8.7.jar';
const program = `
import java.io.*;
import org.apache.maven.artifact.versioning.ComparableVersion;
public class MvnCmp {
  public static void main(String[] args) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out)));
    for (String line; (line = in.readLine()) != null; ) {
      String[] pair = line.trim().split("\\\\s+");
      out.println(Integer.signum(new ComparableVersion(pair[0]).compareTo(new ComparableVersion(pair[1]))));
    }
    out.flush();
  }
}
`;

describe('maven against Maven 3.8.7 ComparableVersion', () => {
  const folder = mkdtempSync(join(tmpdir(), 'drydock-maven-oracle-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const source = join(folder, 'MvnCmp.java');
  writeFileSync(source, program);
  const oracle: OracleCommand = { command: 'java', args: ['-cp', jar, source] };
  const files = [
    'osv-scalibr-maven-versions-generated.txt',
    'osv-scalibr-maven-versions.txt',
    'claircore-maven-compare.list',
  ];

  it('the Maven 3.8.7 jar is installed', () => {
    assert.ok(existsSync(jar), `${jar} missing: scripts/debian-packages.sh installs libmaven3-core-java`);
  });

  it('2,000 random pairs, every Maven-3.9 exception and the known cycles agree with Maven 3.8.7', () => {
    const seed = oracleSeed();
    const random = drawPairs(versionsOfVectors('maven', files), 2_000, seed);
    const exceptionLines = new Set(Object.values(mavenThreeNineExceptions).flatMap((group) => group.lines));
    const excepted: VersionPair[] = files
      .flatMap((file) => readComparisonLines('maven', file))
      .filter((comparison) => exceptionLines.has(comparison.where))
      .map((comparison) => [comparison.a, comparison.b]);
    assert.equal(excepted.length, exceptionLines.size);
    const cycles = mavenCycles.flatMap(([a, b, c]): VersionPair[] => [
      [a, b],
      [b, c],
      [c, a],
    ]);
    const pairs = [...random, ...excepted, ...cycles];
    const results = runOracle(oracle, pairs);
    assert.deepEqual(disagreements(mavenScheme.compare, pairs, results), [], `seed ${seed}`);
  });
});
