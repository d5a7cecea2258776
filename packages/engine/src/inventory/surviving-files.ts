/**
 * What the merged image filesystem answers for coalescing: the layer whose copy of `path` is the
 * one the running container sees (after whiteouts and later overwrites), or undefined when the
 * final image has no regular file there.
 */
export interface SurvivingFiles {
  layerOf(path: string): number | undefined;
}
