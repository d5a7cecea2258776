import type { SchemeId, VersionScheme } from '../versioning/scheme.ts';

/** Answers one scheme keeps before it starts over: tens of MB at most. */
const answersKept = 250_000;

/**
 * A scheme that remembers its answers: the same installed version is compared with the same event
 * versions across many records, and the images of a fleet share most of their package versions,
 * so a re-match of thousands of stored inventories asks the same questions again and again.
 * Parsing dominates comparing. Answers are pure functions of the strings, so they are kept across
 * matching runs; past `answersKept` the memory starts over rather than growing.
 */
function memoise(scheme: VersionScheme): VersionScheme {
  const valid = new Map<string, boolean>();
  // Nested maps: no key string built per call, and the inner map is found once per installed version.
  const compared = new Map<string, Map<string, number>>();
  let answers = 0;
  const remembered = (): void => {
    if (++answers <= answersKept) return;
    valid.clear();
    compared.clear();
    answers = 0;
  };
  return {
    id: scheme.id,
    isValid(version) {
      let answer = valid.get(version);
      if (answer === undefined) {
        remembered();
        valid.set(version, (answer = scheme.isValid(version)));
      }
      return answer;
    },
    compare(a, b) {
      let byB = compared.get(a);
      if (byB === undefined) compared.set(a, (byB = new Map()));
      let answer = byB.get(b);
      if (answer === undefined) {
        remembered();
        // Looked up again: `remembered` may have started over and dropped `byB` from `compared`.
        byB = compared.get(a) ?? new Map<string, number>();
        compared.set(a, byB);
        byB.set(b, (answer = scheme.compare(a, b)));
      }
      return answer;
    },
  };
}

const memoised = new WeakMap<Readonly<Record<SchemeId, VersionScheme>>, Record<SchemeId, VersionScheme>>();

/** The schemes with memories, one set per `schemes` object for the life of the process. */
export function memoisedSchemes(
  schemes: Readonly<Record<SchemeId, VersionScheme>>,
): Record<SchemeId, VersionScheme> {
  let set = memoised.get(schemes);
  if (!set) {
    set = {
      dpkg: memoise(schemes.dpkg),
      rpm: memoise(schemes.rpm),
      apk: memoise(schemes.apk),
      semver: memoise(schemes.semver),
      go: memoise(schemes.go),
      pep440: memoise(schemes.pep440),
      maven: memoise(schemes.maven),
      rubygems: memoise(schemes.rubygems),
      nuget: memoise(schemes.nuget),
      composer: memoise(schemes.composer),
      cargo: memoise(schemes.cargo),
    };
    memoised.set(schemes, set);
  }
  return set;
}
