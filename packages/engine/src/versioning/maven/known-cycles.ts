/**
 * Maven's `ComparableVersion` is not a total order: these triples are cycles, `a < b < c < a`,
 * in Maven 3.8.7 itself (maven/oracle.test.ts runs them through the jar) and so in Drydock's
 * faithful port (test support only). They come from property runs; most involve a qualifier
 * after a `.` or more than one qualifier. The scheme laws hold on the usual shape
 * (`1.2.3`, `1.2.3-qualifier-1`, `1.2.3rc1`), see properties.test.ts.
 */
export const mavenCycles: readonly (readonly [string, string, string])[] = [
  ['betasnapshot', '0beta', '0'],
  ['2b', '2ga0beta', '2'],
  ['1.alpha', '1', '1.jre.alpha'],
  ['1.x-0', '1.alpha', '1'],
  ['1.jre.0', '1.alpha', '1'],
];
