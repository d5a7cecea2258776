import { readRpmDatabase } from './rpm-database.ts';
import { packageFromBlob, type RpmPackage } from './rpm-package.ts';

export type PackageList =
  | { readonly ok: true; readonly packages: readonly RpmPackage[]; readonly problems: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Every package of an rpm database (SQLite, Berkeley DB or ndb), in the database's order, the
 * `gpg-pubkey` pseudo-packages included, like `rpm -qa`. A header that cannot be read is left out
 * and named in `problems`.
 */
export async function listRpmPackages(content: Uint8Array): Promise<PackageList> {
  const read = await readRpmDatabase(content);
  if (!read.ok) return read;
  const packages: RpmPackage[] = [];
  const problems = [...read.problems];
  for (const [index, blob] of read.blobs.entries()) {
    const result = packageFromBlob(blob);
    if (!result.ok) {
      problems.push(`header ${index + 1}: ${result.reason}`);
      continue;
    }
    if (result.problem) problems.push(result.problem);
    packages.push(result.pkg);
  }
  return { ok: true, packages, problems };
}
