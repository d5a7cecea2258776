/**
 * Package names as the database stores and looks them up. Where an ecosystem treats names as
 * equal regardless of spelling, the name is folded so the inventory's spelling and the
 * advisory's meet:
 * - PyPI: PEP 503 normalisation (https://peps.python.org/pep-0503/#normalized-names):
 *   lowercase, every run of `-`, `_`, `.` becomes one `-`.
 * - Packagist: lowercase (https://getcomposer.org/doc/04-schema.md#name: names are lowercase;
 *   Packagist matches them case-insensitively).
 * - NuGet: lowercase (package ids are case-insensitive,
 *   https://learn.microsoft.com/en-us/nuget/reference/nuspec#id).
 * Every other ecosystem compares names exactly (npm, Go, crates.io, RubyGems, Maven, distributions).
 */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon < 0 ? ecosystem : ecosystem.slice(0, colon);
}

export function normalizePackageName(ecosystem: string, name: string): string {
  switch (ecosystemBase(ecosystem)) {
    case 'PyPI':
      return name.toLowerCase().replace(/[-_.]+/g, '-');
    case 'Packagist':
    case 'NuGet':
      return name.toLowerCase();
    default:
      return name;
  }
}
