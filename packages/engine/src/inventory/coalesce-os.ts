import type { OsFact, OsRelease, OsSource } from '../analyzer/fact.ts';
import type { SurvivingFiles } from './surviving-files.ts';

const priority: Readonly<Record<OsSource, number>> = {
  'os-release': 0,
  'distribution-release': 1,
  'lsb-release': 2,
  'alpine-release': 3,
  debian_version: 4,
};

export interface DetectedOs extends OsRelease {
  /** The file the identity came from and the layer that wrote it. */
  readonly path: string;
  readonly layerIndex: number;
}

/**
 * The image's operating system: among OS facts whose file survives in the final filesystem, the
 * one of the highest-priority source (etc/os-release before usr/lib/os-release). Debian's point
 * release and Alpine's full version refine a shorter os-release VERSION_ID of the same family.
 */
export function coalesceOs(facts: readonly OsFact[], files: SurvivingFiles): DetectedOs | undefined {
  // A layer may hold one path twice (a tar with duplicate entries): the later entry is the file.
  const lastOfPath = new Map<string, OsFact>();
  for (const fact of facts)
    if (files.layerOf(fact.path) === fact.layer.index) lastOfPath.set(fact.path, fact);
  const ranked = [...lastOfPath.values()].sort(
    (a, b) =>
      priority[a.source] - priority[b.source] ||
      Number(b.path.startsWith('etc/')) - Number(a.path.startsWith('etc/')),
  );
  const best = ranked[0];
  if (!best) return undefined;
  let versionId = best.os.versionId;
  for (const refinement of ranked) {
    if (refinement.source !== 'debian_version' && refinement.source !== 'alpine-release') continue;
    if (refinement.os.family !== best.os.family) continue;
    const finer = refinement.os.versionId;
    if (finer && /^\d/.test(finer) && (versionId === undefined || finer.startsWith(`${versionId}.`)))
      versionId = finer;
  }
  return { ...best.os, versionId, path: best.path, layerIndex: best.layer.index };
}
