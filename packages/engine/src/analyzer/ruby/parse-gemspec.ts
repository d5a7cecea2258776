export interface InstalledGemspec {
  readonly name: string;
  readonly version: string;
  readonly platform: string | undefined;
  readonly licenses: readonly string[];
}

/**
 * A Ruby string literal as RubyGems writes them in generated specifications: `"x"`, `'x'`,
 * `%q{x}` / `%q<x>` (older RubyGems), with an optional `.freeze`.
 */
const literal = String.raw`(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|%q\{([^}]*)\}|%q<([^>]*)>)(?:\.freeze)?`;

function literalValue(match: RegExpMatchArray | null, first: number): string | undefined {
  if (match === null) return undefined;
  for (let i = first; i < first + 4; i++) {
    const value = match[i];
    if (value !== undefined) return value.replace(/\\(.)/g, '$1');
  }
  return undefined;
}

function attribute(variable: string, name: string): RegExp {
  return new RegExp(String.raw`^\s*${variable}\.${name}\s*=\s*${literal}`);
}

/**
 * Reads an installed gem specification, `specifications/<name>-<version>.gemspec`: Ruby source
 * that RubyGems generates (`Gem::Specification#to_ruby`,
 * https://guides.rubygems.org/specification-reference/) and that is read here as text, never run:
 * `s.name = "x".freeze`, `s.version = "1.2.3"`, `s.platform = "x86_64-linux".freeze`,
 * `s.licenses = ["MIT".freeze]` or `s.license = "MIT"`. The `# stub: name version platform`
 * header fills in what the body does not say. Undefined when no name and version are found.
 */
export function parseGemspec(text: string): InstalledGemspec | undefined {
  const lines = text.split('\n', 5000);
  const opening = lines.findIndex((line) => line.includes('Gem::Specification.new'));
  const variable = opening < 0 ? undefined : /\|\s*(\w+)\s*\|/.exec(lines[opening] ?? '')?.[1];
  let name: string | undefined;
  let version: string | undefined;
  let platform: string | undefined;
  let licenses: string[] = [];
  if (variable !== undefined) {
    const nameLine = attribute(variable, 'name');
    const versionLine = attribute(variable, 'version');
    const platformLine = attribute(variable, 'platform');
    const licenseLine = attribute(variable, 'license');
    const licensesLine = new RegExp(String.raw`^\s*${variable}\.licenses\s*=\s*\[(.*)\]`);
    for (const line of lines.slice(opening + 1)) {
      name ??= literalValue(nameLine.exec(line), 1);
      version ??= literalValue(versionLine.exec(line), 1);
      platform ??= literalValue(platformLine.exec(line), 1);
      const single = literalValue(licenseLine.exec(line), 1);
      if (single !== undefined) licenses = [single];
      const list = licensesLine.exec(line)?.[1];
      if (list !== undefined) {
        const items = new RegExp(literal, 'g');
        licenses = [...list.matchAll(items)].map((match) => literalValue(match, 1) ?? '').filter(Boolean);
      }
    }
  }
  const stub = /^# stub: (\S+) (\S+) (\S+)/m.exec(text);
  name ??= stub?.[1];
  version ??= stub?.[2];
  platform ??= stub?.[3];
  if (name === undefined || version === undefined || name === '' || version === '') return undefined;
  return { name, version, platform, licenses };
}
