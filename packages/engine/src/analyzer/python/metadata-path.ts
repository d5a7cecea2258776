/** Where installed Python distributions keep their core metadata, as `FileWants` suffixes. */
export const metadataSuffixes = [
  '.dist-info/METADATA',
  '.egg-info/PKG-INFO',
  '/EGG-INFO/PKG-INFO',
  '.egg-info',
  '.egg',
] as const;

export type MetadataFile = 'metadata' | 'egg-zip';

/**
 * What kind of metadata file a path is, or `undefined`: a wheel install's `*.dist-info/METADATA`
 * (https://packaging.python.org/en/latest/specifications/recording-installed-packages/), setuptools'
 * `*.egg-info/PKG-INFO` or single-file `*.egg-info`, an unpacked egg's `*.egg/EGG-INFO/PKG-INFO`, or a
 * zipped `*.egg` holding `EGG-INFO/PKG-INFO`.
 */
export function metadataFileOf(path: string): MetadataFile | undefined {
  if (path.endsWith('.egg')) return 'egg-zip';
  if (
    path.endsWith('.egg-info') ||
    path.endsWith('.dist-info/METADATA') ||
    path.endsWith('.egg-info/PKG-INFO')
  ) {
    return 'metadata';
  }
  return path.endsWith('.egg/EGG-INFO/PKG-INFO') ? 'metadata' : undefined;
}
