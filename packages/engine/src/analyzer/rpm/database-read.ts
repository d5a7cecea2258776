/**
 * What reading one rpm package database gives: the header blobs in the database's order and the
 * problems met on the way (a damaged record is skipped and named, the rest is still read), or the
 * reason the file could not be read at all.
 */
export type DatabaseRead =
  | { readonly ok: true; readonly blobs: readonly Uint8Array[]; readonly problems: readonly string[] }
  | { readonly ok: false; readonly reason: string };

export function unreadable(reason: string): DatabaseRead {
  return { ok: false, reason };
}
