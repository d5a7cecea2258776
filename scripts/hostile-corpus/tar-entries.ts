/**
 * Small builders of raw tar entries for the corpus, on top of the engine's block writer
 * (tar-raw.ts): names are written exactly as given, with no normalisation, so they can climb,
 * be absolute, or hold any byte.
 */
import {
  dataBlocks,
  endMarker,
  extendedHeader,
  paxRecord,
  rawFile,
  rawHeader,
} from '../../packages/engine/src/layer/tar-raw.ts';

export { endMarker, extendedHeader, paxRecord, rawFile, rawHeader, dataBlocks };

export const alpineOsRelease = 'ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n';
export const debianOsRelease = 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n';

/** A file entry with a name of any length (a pax `path` record when it does not fit the header). */
export function file(name: string, content: string | Buffer): Buffer {
  if (Buffer.byteLength(name) < 100) return rawFile(name, content);
  return Buffer.concat([extendedHeader('x', paxRecord('path', name)), rawFile('long-name', content)]);
}

export function symlink(name: string, target: string): Buffer {
  return rawHeader({ name, typeflag: '2', linkName: target, mode: 0o777 });
}

export function hardlink(name: string, target: string): Buffer {
  return rawHeader({ name, typeflag: '1', linkName: target });
}

export function directory(name: string): Buffer {
  return rawHeader({ name: name.endsWith('/') ? name : `${name}/`, typeflag: '5', mode: 0o755 });
}

/** A whole tar: the entries, then the two zero blocks. */
export function tarOf(...entries: readonly Buffer[]): Buffer {
  return Buffer.concat([...entries, endMarker]);
}

/** A distinct size per file, so the files of a case rank among the largest in a known order. */
export function sized(bytes: number, fill = 'x'): Buffer {
  return Buffer.alloc(bytes, fill);
}
