import { PackageURL } from 'packageurl-js';

export interface PurlParts {
  readonly type: string;
  readonly namespace?: string | undefined;
  readonly name: string;
  readonly version?: string | undefined;
  readonly qualifiers?: Readonly<Record<string, string>> | undefined;
  readonly subpath?: string | undefined;
}

/**
 * A Package URL string (https://github.com/package-url/purl-spec), encoded by the reference
 * implementation so every analyzer writes them the same way. Empty qualifiers are dropped.
 */
export function purlOf(parts: PurlParts): string {
  const qualifiers = Object.fromEntries(
    Object.entries(parts.qualifiers ?? {}).filter(([, value]) => value !== ''),
  );
  return new PackageURL(
    parts.type,
    parts.namespace || undefined,
    parts.name,
    parts.version || undefined,
    Object.keys(qualifiers).length > 0 ? qualifiers : undefined,
    parts.subpath || undefined,
  ).toString();
}
