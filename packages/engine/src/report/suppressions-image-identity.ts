import { parseReference, type ImageReference } from '../image/reference.ts';
import type { ImageReport, ScanReport } from '../scan/result.ts';
import type { ImageIdentity } from './suppressions-vex.ts';

function tryParse(text: string): ImageReference | undefined {
  try {
    return parseReference(text);
  } catch {
    return undefined;
  }
}

function encode(value: string): string {
  return encodeURIComponent(value);
}

/**
 * The image as a VEX product: `pkg:oci/<name>@<digest>?arch=..&repository_url=..&tag=..` for
 * each name it is known by (the registry reference scanned, the repository tags of an archive)
 * and each digest (manifest and index), following purl-spec's oci type
 * (https://github.com/package-url/purl-spec/blob/main/types-doc/oci-definition.md): the name is
 * the last path segment of the repository, `repository_url` the registry and repository. Docker
 * Hub images are also named with the legacy `index.docker.io` host that some tools write.
 */
export function imageIdentity(report: ScanReport, image: ImageReport): ImageIdentity {
  const digests = [
    ...new Set(
      [image.manifestDigest, report.artifact.digest].filter(
        (digest): digest is string => digest !== undefined,
      ),
    ),
  ];
  const references = [
    ...(report.artifact.kind === 'registry' ? [report.artifact.name] : []),
    ...image.repoTags,
  ]
    .map(tryParse)
    .filter((reference): reference is ImageReference => reference !== undefined);
  const purls = new Set<string>();
  for (const reference of references) {
    const name = reference.repository.slice(reference.repository.lastIndexOf('/') + 1);
    const hosts =
      reference.registry === 'docker.io' ? ['docker.io', 'index.docker.io'] : [reference.registry];
    for (const host of hosts) {
      for (const digest of digests.length > 0 ? digests : [undefined]) {
        const qualifiers = [
          `arch=${encode(image.platform.architecture)}`,
          `repository_url=${encode(`${host}/${reference.repository}`)}`,
          ...(reference.tag ? [`tag=${encode(reference.tag)}`] : []),
        ];
        purls.add(`pkg:oci/${encode(name)}${digest ? `@${encode(digest)}` : ''}?${qualifiers.join('&')}`);
      }
    }
  }
  return { purls: [...purls], digests, architecture: image.platform.architecture };
}
