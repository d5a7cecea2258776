import { PackageURL } from 'packageurl-js';

function parse(purl: string): PackageURL | undefined {
  try {
    return PackageURL.fromString(purl);
  } catch {
    return undefined;
  }
}

/**
 * Whether a VEX product identifier (a Package URL, https://github.com/package-url/purl-spec)
 * names `candidate`, by the matching rules OpenVEX adopted with spec v0.2.0
 * (https://github.com/openvex/spec/issues/27):
 *
 * - type, namespace and name must be equal (after the purl-spec normalisation of each type, so
 *   `pkg:pypi/Foo_Bar` names `pkg:pypi/foo-bar`, and percent-encoding does not matter);
 * - a pattern without a version names every version; with one, the versions must be equal;
 * - every qualifier of the pattern must be present in the candidate with the same value; the
 *   candidate's other qualifiers are ignored (`?arch=amd64` names only the amd64 build, no
 *   qualifiers names every build);
 * - a subpath in the pattern must be equal.
 *
 * Anything that does not parse as a purl names nothing.
 */
export function purlMatches(pattern: string, candidate: string): boolean {
  const want = parse(pattern);
  const have = parse(candidate);
  if (!want || !have) return false;
  if (want.type !== have.type || (want.namespace ?? '') !== (have.namespace ?? '') || want.name !== have.name)
    return false;
  if (want.version !== undefined && want.version !== have.version) return false;
  for (const [key, value] of Object.entries(want.qualifiers ?? {})) {
    if (have.qualifiers?.[key] !== value) return false;
  }
  if (want.subpath !== undefined && want.subpath !== have.subpath) return false;
  return true;
}

/** Whether a string is meant as a Package URL (the scheme of purl-spec). */
export function isPurl(identifier: string): boolean {
  return identifier.startsWith('pkg:');
}
