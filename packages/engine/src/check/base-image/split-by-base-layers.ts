/**
 * Splits findings into those from the base image's layers (index below `baseLayerCount`) and those
 * from the image's own layers. A finding without a layer (one about the image configuration or
 * history) belongs to the image's own part: the base image's configuration is replaced by the image's.
 * Order is kept within each part.
 */
export function splitByBaseLayers<T>(
  findings: readonly T[],
  layerOf: (finding: T) => number | undefined,
  baseLayerCount: number,
): { base: T[]; own: T[] } {
  const base: T[] = [];
  const own: T[] = [];
  for (const finding of findings) {
    const layer = layerOf(finding);
    if (layer !== undefined && Number.isInteger(layer) && layer >= 0 && layer < baseLayerCount)
      base.push(finding);
    else own.push(finding);
  }
  return { base, own };
}
