/**
 * Whether a path is the manifest of an installed package: `package.json` directly inside
 * `node_modules/<name>/` or `node_modules/@scope/<name>/` (npm, yarn and pnpm layouts alike, pnpm's
 * `node_modules/.pnpm/<id>/node_modules/<name>/` included). Manifests deeper inside a package (test
 * fixtures, `dist/package.json` markers) and dot-directories (`.bin`, `.cache`) do not count.
 */
export function isInstalledPackageJson(path: string): boolean {
  if (!path.endsWith('/package.json')) return false;
  const marker = path.lastIndexOf('node_modules/');
  if (marker < 0 || (marker > 0 && path[marker - 1] !== '/')) return false;
  const parts = path.slice(marker + 'node_modules/'.length).split('/');
  const [first, second] = parts;
  if (first === undefined || !isDirectoryName(first)) return false;
  const scoped = first.startsWith('@');
  if (parts.length === 2) return !scoped;
  return parts.length === 3 && scoped && isDirectoryName(first.slice(1)) && isDirectoryName(second);
}

function isDirectoryName(name: string | undefined): boolean {
  return name !== undefined && name !== '' && !name.startsWith('.');
}
