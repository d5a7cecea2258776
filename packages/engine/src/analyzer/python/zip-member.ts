import { readZipDirectory, readZipMember as readMember } from '../zip-archive.ts';

export type ZipMemberRead =
  | { readonly ok: true; readonly content: Buffer | undefined }
  | { readonly ok: false; readonly error: string };

/** A zipped egg has a handful of members; more than this is not an egg worth reading. */
const maxEntries = 100_000;

/**
 * Reads one member of a ZIP archive held in memory with the shared bounded reader
 * (zip-archive.ts): `content` is `undefined` when the archive has no such member, and the
 * inflated size is capped by `maxBytes`.
 */
export function readZipMember(zip: Buffer, member: string, maxBytes: number): ZipMemberRead {
  const directory = readZipDirectory(zip, maxEntries);
  if (!directory.ok) return { ok: false, error: directory.error };
  const entry = directory.entries.find((candidate) => candidate.name === member);
  if (!entry) return { ok: true, content: undefined };
  const read = readMember(zip, entry, maxBytes, { remaining: maxBytes });
  if (read.ok) return { ok: true, content: read.content };
  return { ok: false, error: `cannot read ${member}: ${read.reason.replace('_', ' ')}` };
}
