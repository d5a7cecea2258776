import type { Pep440Version } from './parse.ts';
import { parsePep440 } from './parse.ts';

/**
 * The normalised form of a PEP 440 version (PEP 440 "Normalization"; `str(Version(...))` in
 * pypa/packaging): `1.0-ALPHA.1` → `1.0a1`, `v1.0.post-2` → `1.0.post2`. `undefined` when the
 * version is not valid.
 */
export function normalizePep440(version: string): string | undefined {
  const parsed = parsePep440(version);
  return parsed === undefined ? undefined : formatPep440(parsed);
}

/** The normalised text of parsed parts. */
export function formatPep440(version: Pep440Version): string {
  let text = publicPart(version);
  if (version.local !== undefined) text += `+${version.local.join('.')}`;
  return text;
}

/** The version without its local label (`public` in packaging). */
export function publicPart(version: Pep440Version): string {
  let text = basePart(version);
  if (version.pre !== undefined) text += `${version.pre.label}${version.pre.number}`;
  if (version.post !== undefined) text += `.post${version.post}`;
  if (version.dev !== undefined) text += `.dev${version.dev}`;
  return text;
}

/** Epoch and release only (`base_version` in packaging). */
export function basePart(version: Pep440Version): string {
  const release = version.release.join('.');
  return version.epoch === 0n ? release : `${version.epoch}!${release}`;
}
