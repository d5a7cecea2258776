import type { LayerRef } from './layer-ref.ts';

/**
 * What analyzers and the walker learn about one layer. One discriminated union, handled with
 * exhaustive switches; kinds are added as the analyzers that produce them are built.
 */
export type Fact = OsFact | FileStatsFact | DiagnosticFact;

export type OsFamily =
  | 'alpine'
  | 'debian'
  | 'ubuntu'
  | 'redhat'
  | 'centos'
  | 'almalinux'
  | 'rocky'
  | 'fedora'
  | 'amazon'
  | 'oracle'
  | 'suse'
  | 'opensuse'
  | 'photon'
  | 'mariner'
  | 'azurelinux'
  | 'wolfi'
  | 'chainguard'
  | 'openeuler'
  | 'busybox'
  | 'unknown';

export interface OsRelease {
  readonly family: OsFamily;
  /** `ID` of os-release, lower case (`debian`, `alpine`, `rhel`, ...). */
  readonly id: string;
  readonly name: string;
  /** `VERSION_ID`, or the version read from a distribution's release file. */
  readonly versionId: string | undefined;
  readonly versionCodename: string | undefined;
  readonly prettyName: string | undefined;
  readonly idLike: readonly string[];
}

export interface OsFact {
  readonly kind: 'os';
  readonly layer: LayerRef;
  /** The file it was read from (`etc/os-release`, `etc/alpine-release`, ...). */
  readonly path: string;
  /** Which evidence this is; the OS is coalesced from the highest-priority source that survives. */
  readonly source: OsSource;
  readonly os: OsRelease;
}

export type OsSource =
  'os-release' | 'lsb-release' | 'distribution-release' | 'debian_version' | 'alpine-release';

export interface LargeFile {
  readonly path: string;
  readonly size: number;
}

/** File statistics of one layer (PRODUCT.md section 4, "File information"). */
export interface FileStats {
  readonly files: number;
  readonly directories: number;
  readonly symlinks: number;
  readonly hardlinks: number;
  readonly totalBytes: number;
  readonly whiteouts: number;
  /** Largest regular files, biggest first. */
  readonly largest: readonly LargeFile[];
  readonly setuid: readonly string[];
  readonly setgid: readonly string[];
  readonly worldWritable: readonly string[];
}

export interface FileStatsFact {
  readonly kind: 'file-stats';
  readonly layer: LayerRef;
  readonly stats: FileStats;
}

/** A problem with one file or entry: reported with its location, never thrown. */
export interface DiagnosticFact {
  readonly kind: 'diagnostic';
  readonly layer: LayerRef;
  readonly path: string;
  /** Who noticed: an analyzer id, or `walker`. */
  readonly source: string;
  readonly code: DiagnosticCode;
  readonly message: string;
}

export type DiagnosticCode =
  | 'path_traversal'
  | 'absolute_path'
  | 'path_too_long'
  | 'link_escape'
  | 'link_loop'
  | 'link_target_missing'
  | 'hardlink_target_missing'
  | 'unsupported_entry'
  | 'file_too_large'
  | 'parse_error'
  | 'analyzer_failed';
