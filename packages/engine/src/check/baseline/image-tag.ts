import type { BaselineCheckResult } from './check-result.ts';

/**
 * Drydock: the image is named by a fixed tag or a digest, not `latest`. `latest` (written or implied by
 * a name without tag or digest) moves with every push, so the scanned image and the deployed one may
 * differ. A digest pins the image whatever tag is written with it. Not applicable when the image was
 * not named by a reference (a directory or an archive).
 */
export function latestTagCheck(
  reference: { readonly tag?: string; readonly digest?: string } | undefined,
): BaselineCheckResult {
  const base = {
    id: 'drydock-image-tag-latest',
    title: 'Image named by a fixed tag or digest, not latest',
    area: 'image-config',
    severity: 'low',
    standard: 'Drydock',
    suggested: 'a version tag (1.4.2) or a digest (@sha256:...)',
    remediation:
      'Tag images with an immutable version (a release number or the commit) and deploy by that tag or by digest; never deploy :latest.',
  } as const;
  if (reference === undefined) return { ...base, result: 'not_applicable', evidence: [] };
  const { tag, digest } = reference;
  if (digest !== undefined && digest !== '')
    return {
      ...base,
      result: 'pass',
      current: tag === undefined ? `@${digest}` : `:${tag}@${digest}`,
      evidence: [],
    };
  if (tag !== undefined && tag !== '' && tag !== 'latest')
    return { ...base, result: 'pass', current: `:${tag}`, evidence: [] };
  const current = tag === 'latest' ? ':latest' : 'no tag (read as :latest)';
  return { ...base, result: 'fail', current, evidence: [{ location: 'image:reference', detail: current }] };
}
