/** How urgent a compliance finding is, in the scale the other risk types use. */
export type ComplianceSeverity = 'critical' | 'high' | 'medium' | 'low';

/** Which of the three compliance checks produced a finding. */
export type ComplianceFindingType = 'license' | 'prohibited' | 'end-of-life';

/**
 * One compliance finding: what software, where it is in the image, and why it is reported.
 * `rule` is stable across scans so reports can group and suppress by it
 * (`license-forbidden:AGPL-3.0-only`, `prohibited:nmap`, `eol:debian-10`).
 */
export interface ComplianceFinding {
  readonly type: ComplianceFindingType;
  readonly severity: ComplianceSeverity;
  /** The package name, the OS release (`Debian GNU/Linux 10`) or the executable's file name. */
  readonly software: string;
  readonly version?: string;
  readonly ecosystem?: string;
  readonly purl?: string;
  /** The file the evidence came from, relative to the image root (a package database, os-release, an executable). */
  readonly path: string;
  /** The layer that brought the software in; absent when no layer can be named. */
  readonly layerIndex?: number;
  readonly reason: string;
  readonly rule: string;
}
