/** One segment of a Gem::Version: a number (as its digits) or a run of letters. */
export type GemSegment =
  { readonly kind: 'number'; readonly digits: string } | { readonly kind: 'letters'; readonly text: string };

/**
 * Gem::Version::ANCHORED_VERSION_PATTERN (https://github.com/rubygems/rubygems/blob/master/lib/rubygems/version.rb):
 * digits, then `.`-separated alphanumeric parts, then an optional `-pre.release`, with surrounding
 * whitespace. Ruby's `\s` is `[ \t\r\n\f\v]`.
 */
const anchoredVersion =
  /^[ \t\r\n\f\v]*[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?[ \t\r\n\f\v]*$/;

/**
 * Parses a RubyGems version as Gem::Version does (https://guides.rubygems.org/patterns/#prerelease-gems,
 * https://github.com/rubygems/rubygems/blob/master/lib/rubygems/version.rb): the text is stripped,
 * each `-` becomes `.pre.`, and the segments are the runs of digits and of letters. Returns the
 * canonical segments (`canonical_segments`: trailing zeros dropped from the release part and from
 * the pre-release part), or undefined when Gem::Version.correct? says no. Deliberately stricter than
 * RubyGems in one case: an empty or all-blank version, which Gem::Version reads as "0", is refused,
 * since a scanner that finds no version must not match it as version 0.
 */
export function parseGemVersion(version: string): readonly GemSegment[] | undefined {
  if (!anchoredVersion.test(version)) return undefined;
  // Once the pattern matched, the version is its one run of non-blank characters.
  const text = (/[^ \t\r\n\f\v]+/.exec(version)?.[0] ?? '').replaceAll('-', '.pre.');
  const segments: GemSegment[] = [];
  for (const [run] of text.matchAll(/[0-9]+|[a-zA-Z]+/g)) {
    segments.push(/^[0-9]/.test(run) ? { kind: 'number', digits: run } : { kind: 'letters', text: run });
  }
  const firstLetters = segments.findIndex((segment) => segment.kind === 'letters');
  const split = firstLetters < 0 ? segments.length : firstLetters;
  return [...dropTrailingZeros(segments.slice(0, split)), ...dropTrailingZeros(segments.slice(split))];
}

function isZero(segment: GemSegment): boolean {
  return segment.kind === 'number' && /^0+$/.test(segment.digits);
}

function dropTrailingZeros(segments: readonly GemSegment[]): readonly GemSegment[] {
  let end = segments.length;
  while (end > 0 && isZero(segments[end - 1] ?? { kind: 'letters', text: '' })) end--;
  return segments.slice(0, end);
}
