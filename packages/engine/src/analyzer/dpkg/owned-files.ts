/** An absolute path of a dpkg database made relative to the image root, like every Drydock path. */
function relative(path: string): string {
  let start = 0;
  while (path.charCodeAt(start) === 0x2f) start++;
  return path.slice(start);
}

/**
 * The files of an `info/NAME.list` (or `NAME:ARCH.list`) file: one absolute path per line, directories
 * included, the root written as `/.`. Returned relative to the image root, the root itself left out.
 * https://man7.org/linux/man-pages/man1/dpkg.1.html (FILES: `/var/lib/dpkg/info`)
 */
export function listFiles(text: string): string[] {
  const files: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line === '/.') continue;
    const path = relative(line);
    if (path !== '' && path !== '.') files.push(path);
  }
  return files;
}

/**
 * The files of an `info/NAME.md5sums` (or distroless `status.d/NAME.md5sums`) file: `HASH  path` per
 * line, paths already relative, directories and conffiles not listed. Lines without a hash are skipped.
 * https://man7.org/linux/man-pages/man5/deb-md5sums.5.html
 */
export function md5sumsFiles(text: string): string[] {
  const files: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const match = /^[0-9a-fA-F]{32,128} [ *](.+)$/.exec(line);
    const path = match?.[1] === undefined ? '' : relative(match[1]);
    if (path !== '') files.push(path);
  }
  return files;
}
