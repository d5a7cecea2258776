/**
 * The final filesystem's account, password-policy and SSH server files, as the scan collects them
 * for the baseline checks: image-relative path (no leading `/`) → text content. A path that is
 * absent from the map is absent from the image (or was deleted by a later layer).
 */
export type SystemFiles = ReadonlyMap<string, string>;

// The analyzer that collects these files owns the lists (the walk needs them before any check
// runs); they are re-exported here so the checks and the scan name one list, not two copies.
export { systemFilePaths, systemFilePrefixes } from '../../analyzer/system-files/analyzer.ts';

/** The files directly under `directory/` whose names end with `suffix`, in lexical (byte) order. */
export function filesInDirectory(files: SystemFiles, directory: string, suffix: string): string[] {
  const prefix = directory.endsWith('/') ? directory : `${directory}/`;
  return [...files.keys()]
    .filter((path) => path.startsWith(prefix) && !path.slice(prefix.length).includes('/'))
    .filter((path) => path.endsWith(suffix))
    .sort(compareBytes);
}

/** Byte-wise comparison, as glob(3) and scandir with alphasort sort names in the C locale. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The lines of a text file with their 1-based numbers, tolerant of CRLF endings. */
export function numberedLines(text: string): { readonly line: number; readonly text: string }[] {
  return text.split('\n').map((line, index) => ({ line: index + 1, text: line.replace(/\r$/, '') }));
}
