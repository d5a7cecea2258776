import {
  headerBytes,
  headerString,
  headerStrings,
  headerUint32s,
  parseHeaderBlob,
  type RpmHeader,
} from './header-blob.ts';
import { rpmTag } from './rpm-tags.ts';

/**
 * One installed package as its rpm database header describes it. String fields are `''` and
 * `size` is 0 when the header lacks the tag or holds rpm's placeholder `(none)`;
 * `epoch` is `undefined` when the package has none, which rpm orders like epoch 0.
 */
export interface RpmPackage {
  readonly name: string;
  readonly epoch: number | undefined;
  readonly version: string;
  readonly release: string;
  readonly arch: string;
  /** The source rpm's file name, `name-version-release.src.rpm`. */
  readonly sourceRpm: string;
  readonly size: number;
  readonly license: string;
  readonly vendor: string;
  readonly modularityLabel: string;
  readonly summary: string;
  /** SIGMD5 as lower-case hex: the MD5 of header and payload, which identifies the build. */
  readonly sigMd5: string;
  /** Absolute paths of the files the package owns, in header order. */
  readonly files: readonly string[];
}

/** rpm's placeholder for a missing value; the `gpg-pubkey` headers rpm writes store it as their SOURCERPM. */
const noneValue = '(none)';

export type PackageResult =
  | { readonly ok: true; readonly pkg: RpmPackage; readonly problem: string | undefined }
  | { readonly ok: false; readonly reason: string };

/** Owned files: BASENAMES joined to DIRNAMES through DIRINDEXES, or the pre-4.0 FILENAMES list. */
function filesOf(header: RpmHeader): { readonly files: readonly string[]; readonly problem?: string } {
  const baseNames = headerStrings(header, rpmTag.baseNames);
  if (!baseNames) return { files: headerStrings(header, rpmTag.oldFilenames) ?? [] };
  const dirNames = headerStrings(header, rpmTag.dirNames) ?? [];
  const dirIndexes = headerUint32s(header, rpmTag.dirIndexes) ?? [];
  if (dirIndexes.length !== baseNames.length) {
    return {
      files: [],
      problem: `${baseNames.length} file names but ${dirIndexes.length} directory indexes`,
    };
  }
  const files: string[] = [];
  for (const [index, baseName] of baseNames.entries()) {
    const dirName = dirNames[dirIndexes[index] ?? dirNames.length];
    if (dirName === undefined)
      return { files: [], problem: `file ${baseName} points past the directory list` };
    files.push(dirName + baseName);
  }
  return { files };
}

/** Reads the fields the inventory needs from one header; a header without a NAME is rejected. */
export function packageFromHeader(header: RpmHeader): PackageResult {
  const name = headerString(header, rpmTag.name);
  if (!name) return { ok: false, reason: 'header has no NAME' };
  const text = (tag: number): string => {
    const value = headerString(header, tag) ?? '';
    return value === noneValue ? '' : value;
  };
  const sigMd5 = headerBytes(header, rpmTag.sigMd5);
  const { files, problem } = filesOf(header);
  const pkg: RpmPackage = {
    name,
    epoch: headerUint32s(header, rpmTag.epoch)?.[0],
    version: text(rpmTag.version),
    release: text(rpmTag.release),
    arch: text(rpmTag.arch),
    sourceRpm: text(rpmTag.sourceRpm),
    size: headerUint32s(header, rpmTag.size)?.[0] ?? 0,
    license: text(rpmTag.license),
    vendor: text(rpmTag.vendor),
    modularityLabel: text(rpmTag.modularityLabel),
    summary: text(rpmTag.summary),
    sigMd5: sigMd5 ? Buffer.from(sigMd5).toString('hex') : '',
    files,
  };
  return { ok: true, pkg, problem: problem && `${name}: ${problem}` };
}

/** Parses a header blob and reads its package in one step. */
export function packageFromBlob(blob: Uint8Array): PackageResult {
  const parsed = parseHeaderBlob(blob);
  return parsed.ok ? packageFromHeader(parsed.header) : parsed;
}
