/**
 * Vectors whose expected order is that of Maven 3.9 or later, not of Maven 3.8.7, which Drydock
 * follows (test support only). Maven 3.9 reworked `ComparableVersion` (among others MNG-7559, MNG-7644: `.`
 * and `-` before a qualifier no longer order differently, `1-ga-1` equals `1-1`); the vectors of
 * osv-scalibr and claircore were written against it. maven/oracle.test.ts checks that the Maven
 * 3.8.7 jar orders every one of these pairs as Drydock does.
 */
import { linesOf, type ExceptionGroup } from '../vector-check.ts';

export const mavenThreeNineReason =
  'the vector follows Maven ≥ 3.9 ComparableVersion; Drydock follows Maven 3.8.7, whose jar orders this pair as Drydock does';

export const mavenThreeNineExceptions: Readonly<Record<string, ExceptionGroup>> = {
  'osv-scalibr-maven-versions.txt': {
    reason: mavenThreeNineReason,
    lines: linesOf('osv-scalibr-maven-versions.txt', [100]),
  },
  'osv-scalibr-maven-versions-generated.txt': {
    reason: mavenThreeNineReason,
    lines: linesOf(
      'osv-scalibr-maven-versions-generated.txt',
      [
        2781, 2786, 5776, 9949, 11435, 11450, 11476, 11526, 11557, 11578, 11582, 11594, 11602, 11612, 11621,
        11687, 11748, 12642,
      ],
    ),
  },
  'claircore-maven-compare.list': {
    reason: mavenThreeNineReason,
    lines: linesOf('claircore-maven-compare.list', [109]),
  },
};
