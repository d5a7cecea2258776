import type { LayerRef } from './layer-ref.ts';
import type { MalwareDiagnosticCode, MalwareMatch } from './malware/malware-match.ts';
import type { SecretMatch } from './secret/secret-match.ts';

/**
 * What analyzers and the walker learn about one layer. One discriminated union, handled with
 * exhaustive switches; kinds are added as the analyzers that produce them are built.
 */
export type Fact =
  | OsFact
  | PackageFact
  | OwnedFilesFact
  | LicenseFact
  | FileStatsFact
  | SecretFact
  | MalwareFact
  | SystemFileFact
  | ExecutableFact
  | DiagnosticFact;

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

/**
 * Package ecosystems, named as PURL types (https://github.com/package-url/purl-spec) where one
 * exists; the OSV ecosystem name is derived from these plus the OS release.
 */
export type Ecosystem =
  'deb' | 'apk' | 'rpm' | 'npm' | 'pypi' | 'golang' | 'maven' | 'gem' | 'cargo' | 'composer' | 'nuget';

/** How the package was found: installed metadata, a lock file, or a binary's embedded build information. */
export type PackageOrigin = 'installed' | 'lockfile' | 'binary';

/**
 * One package as its ecosystem describes it. `version` is the ecosystem's full version string:
 * dpkg `[epoch:]upstream[-revision]`, rpm `[epoch:]version-release`, apk `1.2.3-r0`, and so on.
 */
export interface PackageRecord {
  readonly ecosystem: Ecosystem;
  /** Maven: `groupId:artifactId`; Go: the module path; npm: with its `@scope/`. */
  readonly name: string;
  readonly version: string;
  /** Package URL (purl-spec), with the distro qualifier left to the inventory for OS packages. */
  readonly purl: string;
  /** Declared licences as written (SPDX expressions, free text, or file names); empty when none. */
  readonly licenses: readonly string[];
  /** OS packages: the source package advisories name (dpkg `Source`, apk origin, rpm source rpm). */
  readonly source?: { readonly name: string; readonly version: string };
  readonly arch?: string;
  /** rpm only: the parts of the version, as rpm compares them. */
  readonly epoch?: number;
  readonly release?: string;
  readonly vendor?: string;
  readonly modularityLabel?: string;
  /** Lock files: a development-only dependency. */
  readonly dev?: boolean;
  /** Files the package owns, for OS packages whose database lists them inline (apk, rpm). */
  readonly files?: readonly string[];
}

export interface PackageFact {
  readonly kind: 'package';
  readonly layer: LayerRef;
  /** The file the package was read from (`var/lib/dpkg/status`, `app/package-lock.json`, `usr/bin/skopeo`). */
  readonly path: string;
  readonly origin: PackageOrigin;
  readonly pkg: PackageRecord;
}

/**
 * Files an OS package owns, from a per-package list file (dpkg `info/NAME.list`). Kept apart from
 * the package fact because a later layer may rewrite the status file without touching the lists.
 */
export interface OwnedFilesFact {
  readonly kind: 'owned-files';
  readonly layer: LayerRef;
  readonly path: string;
  readonly ecosystem: Ecosystem;
  /** The package name as the list file names it (dpkg: `name` or `name:arch`). */
  readonly packageName: string;
  readonly files: readonly string[];
}

/**
 * Licences declared for a package by a file of their own (dpkg `usr/share/doc/NAME/copyright`).
 * Kept apart from the package fact because a later layer may rewrite the package database while
 * the copyright files of the packages it did not touch stay in the layers below.
 */
export interface LicenseFact {
  readonly kind: 'license';
  readonly layer: LayerRef;
  readonly path: string;
  readonly ecosystem: Ecosystem;
  readonly packageName: string;
  readonly licenses: readonly string[];
}

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

/** A secret in a file of the layer; the match holds only the masked secret. */
export interface SecretFact {
  readonly kind: 'secret';
  readonly layer: LayerRef;
  readonly path: string;
  readonly match: SecretMatch;
}

/** A file of the layer (or a member of an archive in it) that a malware engine flagged. */
export interface MalwareFact {
  readonly kind: 'malware';
  readonly layer: LayerRef;
  readonly path: string;
  readonly match: MalwareMatch;
}

/** The text of an account, password-policy or SSH configuration file in the layer (baseline checks). */
export interface SystemFileFact {
  readonly kind: 'system-file';
  readonly layer: LayerRef;
  readonly path: string;
  readonly content: string;
}

/** An executable file of the layer and its SHA-256 (prohibited software listed by digest). */
export interface ExecutableFact {
  readonly kind: 'executable';
  readonly layer: LayerRef;
  readonly path: string;
  readonly sha256: string;
}

/** A problem with one file or entry: reported with its location, never thrown. */
export interface DiagnosticFact {
  readonly kind: 'diagnostic';
  readonly layer: LayerRef;
  readonly path: string;
  /** Who noticed: an analyzer id, or `walker`. */
  readonly source: string;
  readonly code: DiagnosticCode;
  /** The typed reason behind the code, when there is one (`clamd_timeout` for an `analysis_failed`). */
  readonly reason?: string;
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
  | 'analyzer_failed'
  | MalwareDiagnosticCode;
