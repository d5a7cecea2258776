import { PackageURL } from 'packageurl-js';

export interface PurlParts {
  readonly type: string;
  readonly namespace?: string | undefined;
  readonly name: string;
  readonly version?: string | undefined;
  readonly qualifiers?: Readonly<Record<string, string>> | undefined;
  readonly subpath?: string | undefined;
}

/** purl-spec percent-encoding of one component: everything but unreserved characters (and `/` where allowed). */
function encode(text: string, keepSlash = false): string {
  const encoded = encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

/**
 * A Package URL string (https://github.com/package-url/purl-spec), encoded by the reference
 * implementation so every analyzer writes them the same way. Empty qualifiers are dropped. When
 * the reference implementation refuses a component (it rejects some real-world versions and
 * names), the purl is written by the spec's plain encoding rules instead: never a throw.
 */
export function purlOf(parts: PurlParts): string {
  const qualifiers = Object.fromEntries(
    Object.entries(parts.qualifiers ?? {}).filter(([, value]) => value !== ''),
  );
  try {
    return new PackageURL(
      parts.type,
      parts.namespace || undefined,
      parts.name,
      parts.version || undefined,
      Object.keys(qualifiers).length > 0 ? qualifiers : undefined,
      parts.subpath || undefined,
    ).toString();
  } catch {
    const namespace = parts.namespace ? `${encode(parts.namespace, true)}/` : '';
    const version = parts.version ? `@${encode(parts.version)}` : '';
    const query = Object.entries(qualifiers)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => `${key.toLowerCase()}=${encode(value)}`)
      .join('&');
    const subpath = parts.subpath ? `#${encode(parts.subpath, true)}` : '';
    return `pkg:${parts.type.toLowerCase()}/${namespace}${encode(parts.name || 'unknown')}${version}${query ? `?${query}` : ''}${subpath}`;
  }
}
