/**
 * Overlay whiteouts as the OCI image spec writes them into layer tars
 * (https://github.com/opencontainers/image-spec/blob/main/layer.md#whiteouts):
 * `dir/.wh.NAME` removes `dir/NAME` from lower layers, `dir/.wh..wh..opq` hides everything lower
 * layers put under `dir`. Other `.wh..wh.` names are AUFS bookkeeping (`.wh..wh.plnk` hardlink
 * directories, `.wh..wh.aufs`) and carry no file: they are ignored, together with their contents.
 */

export type WhiteoutMarker =
  | { readonly kind: 'whiteout'; readonly target: string }
  | { readonly kind: 'opaque'; readonly directory: string }
  | { readonly kind: 'ignored' };

const prefix = '.wh.';
const metaPrefix = '.wh..wh.';
const opaqueName = '.wh..wh..opq';
const ignored: WhiteoutMarker = { kind: 'ignored' };

/**
 * Classifies a normalised path. `undefined` means an ordinary entry; this is the answer for nearly
 * every entry, so it costs one substring scan and allocates nothing.
 */
export function classifyWhiteout(path: string): WhiteoutMarker | undefined {
  if (!path.includes(prefix)) return undefined;
  const slash = path.lastIndexOf('/');
  const baseStart = slash + 1;
  if (!path.startsWith(prefix, baseStart)) {
    // `.wh.` inside an earlier segment: only AUFS metadata directories are special.
    return path.startsWith(metaPrefix) || path.includes(`/${metaPrefix}`) ? ignored : undefined;
  }
  const parent = slash === -1 ? '' : path.slice(0, slash);
  if (path.length - baseStart === opaqueName.length && path.endsWith(opaqueName)) {
    return { kind: 'opaque', directory: parent };
  }
  if (path.startsWith(metaPrefix, baseStart)) return ignored;
  if (parent.startsWith(metaPrefix) || parent.includes(`/${metaPrefix}`)) return ignored;
  const name = path.slice(baseStart + prefix.length);
  if (name === '' || name === '.' || name === '..') return ignored;
  return { kind: 'whiteout', target: slash === -1 ? name : `${parent}/${name}` };
}
