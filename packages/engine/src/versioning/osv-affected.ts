/**
 * The parts of an OSV `affected` entry that range evaluation reads
 * (https://ossf.github.io/osv-schema/#affected-fields). Structural, so the database's validated
 * records and hand-written test data both fit.
 */
export interface OsvEvent {
  readonly introduced?: string;
  readonly fixed?: string;
  readonly last_affected?: string;
  readonly limit?: string;
}

export interface OsvRange {
  readonly type: string;
  readonly repo?: string;
  readonly events: readonly OsvEvent[];
}

export interface OsvAffectedRanges {
  readonly ranges?: readonly OsvRange[];
  readonly versions?: readonly string[];
  /** The `versions` list as the vulnerability database stores it, in place of `versions` (listed-versions.ts). */
  readonly joinedVersions?: string;
}

/** Which evidence made the verdict: an explicit version list, or one range of the entry. */
export type RangeEvidence =
  | { readonly kind: 'versions'; readonly version: string }
  | {
      readonly kind: 'range';
      readonly type: 'ECOSYSTEM' | 'SEMVER';
      readonly introduced: string;
      readonly fixed?: string;
      readonly lastAffected?: string;
      readonly limit?: string;
    };

export type RangeVerdict =
  | { readonly status: 'affected'; readonly evidence: RangeEvidence }
  | { readonly status: 'not-affected' }
  /** The version could not be parsed, or the entry has only ranges this scheme cannot evaluate (GIT). */
  | { readonly status: 'unknown'; readonly reason: string };
