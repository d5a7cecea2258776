import type { SchemeId, VersionScheme } from '../versioning/scheme.ts';

/**
 * A scheme that remembers its answers for one matching run: the same installed version is
 * compared with the same event versions across many records, and parsing dominates comparing.
 */
function memoise(scheme: VersionScheme): VersionScheme {
  const valid = new Map<string, boolean>();
  // Nested maps: no key string built per call, and the inner map is found once per installed version.
  const compared = new Map<string, Map<string, number>>();
  return {
    id: scheme.id,
    isValid(version) {
      let answer = valid.get(version);
      if (answer === undefined) valid.set(version, (answer = scheme.isValid(version)));
      return answer;
    },
    compare(a, b) {
      let byB = compared.get(a);
      if (byB === undefined) compared.set(a, (byB = new Map()));
      let answer = byB.get(b);
      if (answer === undefined) byB.set(b, (answer = scheme.compare(a, b)));
      return answer;
    },
  };
}

export function memoisedSchemes(
  schemes: Readonly<Record<SchemeId, VersionScheme>>,
): Record<SchemeId, VersionScheme> {
  return {
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
}
