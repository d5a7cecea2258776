/**
 * Test support: long version strings built to make a careless parser backtrack (digit runs after
 * a stability word, blanks before junk, endless separators). A scheme must answer for each in
 * time linear in its length; a regular expression that backtracks exponentially or quadratically
 * turns these into a hang, which the test runner's timeout reports. Tests only.
 */
const size = 50_000;

export const hostileVersions: readonly string[] = [
  `1.0.0-beta${'9'.repeat(size)}x`,
  `1.0.0-beta${'.1'.repeat(size / 2)}x`,
  `1${' '.repeat(size)}x`,
  `1${'-a'.repeat(size / 2)}!`,
  `1${'.1'.repeat(size / 2)}!`,
  `1${'.'.repeat(size)}`,
  `${'x'.repeat(size)}dev`,
  `${'x\n'.repeat(size / 2)}dev`,
  `1.0${'.-'.repeat(size / 2)}dev`,
  `1.0${'-'.repeat(size)}x`,
  `2010${'-01'.repeat(size / 3)}`,
  `1${' as'.repeat(size / 3)}`,
  `1.0.0+${'a'.repeat(size)} `,
  `v${'1'.repeat(size)}-`,
];
