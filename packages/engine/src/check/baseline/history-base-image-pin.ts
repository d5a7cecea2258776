import type { SecretRuleSet } from '../../analyzer/secret/rule-set.ts';
import type { BaselineCheckResult, BaselineEvidence } from './check-result.ts';
import { truncateDetail } from './history-evidence.ts';
import type { HistoryStep } from './history-instruction.ts';
import { redactInstruction } from '../../analyzer/secret/image-config.ts';

/** One statement of the base image: where it was read and the reference written there. */
export interface BaseImageReference {
  readonly location: string;
  readonly reference: string;
}

const baseNameLabel = 'org.opencontainers.image.base.name';
const baseDigestLabel = 'org.opencontainers.image.base.digest';

/** The image reference of `FROM [--platform=...] ref [AS name]`. */
function fromReference(text: string): string | undefined {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((word) => !word.startsWith('--'));
  return words[0] === undefined || words[0] === '' ? undefined : words[0];
}

/**
 * Where the build recorded its base image: the OCI label `org.opencontainers.image.base.name`; the
 * history comment `FROM <ref>` Buildah (podman build) writes on the first entry it adds; a `FROM`
 * history entry (`/bin/sh -c #(nop) FROM <ref>`) some tools write. Docker's builders record no FROM:
 * for their images this finds nothing.
 */
export function baseImageReferences(
  steps: readonly HistoryStep[],
  labels: Readonly<Record<string, string>>,
): BaseImageReference[] {
  const found: BaseImageReference[] = [];
  const labelled = labels[baseNameLabel]?.trim();
  if (labelled !== undefined && labelled !== '')
    found.push({ location: `config:label/${baseNameLabel}`, reference: labelled });
  for (const step of steps) {
    const commented = /^FROM\s+(\S.*)$/.exec(step.comment?.trim() ?? '');
    const reference =
      commented !== null
        ? fromReference(commented[1] ?? '')
        : step.instruction.keyword === 'FROM'
          ? fromReference(step.instruction.arguments)
          : undefined;
    if (reference !== undefined) found.push({ location: `config:history/${step.index}`, reference });
  }
  return found;
}

/** Pinned: by digest (`name@sha256:...`), an image ID (64 hex digits, as Buildah names a stage), or `scratch`. */
export function isPinnedReference(reference: string): boolean {
  return (
    /@sha(?:256|512):[0-9a-f]+$/i.test(reference) ||
    /^(?:sha256:)?[0-9a-f]{64}$/.test(reference) ||
    reference === 'scratch'
  );
}

/**
 * Drydock: the base image pinned by digest (`FROM debian:bookworm@sha256:...`), so a rebuild takes
 * the same base until someone moves the pin on purpose. Decided from what the image records (see
 * `baseImageReferences`); not applicable when it records nothing, as Docker's builders do. When the
 * label `org.opencontainers.image.base.digest` says which digest the build used, the suggestion names it.
 */
export function baseImagePinCheck(
  steps: readonly HistoryStep[],
  labels: Readonly<Record<string, string>>,
  rules: SecretRuleSet,
): BaselineCheckResult {
  const references = baseImageReferences(steps, labels);
  const unpinned = references.filter((item) => !isPinnedReference(item.reference));
  const usedDigest = labels[baseDigestLabel]?.trim();
  const evidence: BaselineEvidence[] = unpinned.map((item) => ({
    location: item.location,
    detail: truncateDetail(redactInstruction(rules, `FROM ${item.reference}`)),
  }));
  const example = unpinned[0]?.reference.replace(/@.*$/, '');
  return {
    id: 'drydock-base-image-digest-pinned',
    title: 'Base image pinned by digest',
    area: 'build-history',
    severity: 'low',
    standard: 'Drydock',
    result: references.length === 0 ? 'not_applicable' : unpinned.length > 0 ? 'fail' : 'pass',
    ...(references.length > 0 && {
      current: [...new Set(references.map((item) => `FROM ${item.reference}`))].join(', '),
    }),
    suggested:
      example !== undefined && usedDigest !== undefined && /^sha256:[0-9a-f]{64}$/.test(usedDigest)
        ? `FROM ${example}@${usedDigest}`
        : 'FROM <name>:<tag>@sha256:<digest>',
    remediation:
      'Write the base image with its digest in FROM (docker buildx imagetools inspect <name>:<tag> shows it) and let a bot such as Renovate or Dependabot move the pin when the base image is rebuilt.',
    evidence,
  };
}
