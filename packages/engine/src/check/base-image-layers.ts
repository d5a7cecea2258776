import type { HistoryEntry } from '../image/types.ts';

/** An instruction that only sets metadata, as the history records it (classic builder or BuildKit). */
const closingInstruction = /^(?:\/bin\/sh -c #\(nop\)\s+)?(CMD|ENTRYPOINT)\b/;

/**
 * How many of the image's layers (from the bottom) came from its base image, read from the build
 * history: a Dockerfile's base image ends with a `CMD` or `ENTRYPOINT` (official images all do),
 * recorded as an empty-layer history entry; everything after the last such entry that is followed
 * by a layer of its own was built on top. 0 when the history shows no such boundary (a `FROM
 * scratch` build, a squashed image, a history rewritten by the builder), so nothing is skipped
 * by mistake. The base image's identity is [5 of 11]'s business; this only counts layers.
 */
export function baseImageLayerCount(history: readonly HistoryEntry[]): number {
  let layers = 0;
  let base = 0;
  let closedAt: number | undefined;
  for (const entry of history) {
    if (entry.emptyLayer) {
      if (closingInstruction.test(entry.createdBy?.trim() ?? '')) closedAt = layers;
      continue;
    }
    if (closedAt !== undefined) base = closedAt;
    layers++;
  }
  return base;
}
