import type { PackageRecord } from '../fact.ts';
import { purlOf } from '../purl.ts';

/**
 * A RubyGems package record: purl `pkg:gem/<name>@<version>`, with a `platform` qualifier for a
 * platform-specific gem (https://github.com/package-url/purl-spec/blob/main/types-doc/gem-definition.md).
 * Undefined for an empty name or version (hostile input).
 */
export function gemPackage(
  name: string,
  version: string,
  options: { readonly platform?: string | undefined; readonly licenses?: readonly string[] } = {},
): PackageRecord | undefined {
  if (name === '' || version === '' || /\s/.test(name) || /\s/.test(version)) return undefined;
  const platform =
    options.platform === undefined || options.platform === 'ruby' ? undefined : options.platform;
  let purl: string;
  try {
    purl = purlOf({
      type: 'gem',
      name,
      version,
      qualifiers: platform === undefined ? undefined : { platform },
    });
  } catch {
    return undefined;
  }
  return {
    ecosystem: 'gem',
    name,
    version,
    purl,
    licenses: options.licenses ?? [],
    ...(platform === undefined ? {} : { arch: platform }),
  };
}
