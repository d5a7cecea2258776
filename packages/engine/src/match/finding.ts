import type { LayerRef } from '../analyzer/layer-ref.ts';
import type { Ecosystem } from '../analyzer/fact.ts';
import type { RangeEvidence } from '../versioning/osv-affected.ts';
import type { SchemeId } from '../versioning/scheme.ts';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'unknown';

export const severityOrder: Readonly<Record<Severity, number>> = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  unknown: 0,
};

/**
 * One vulnerability in one package of an image, with the evidence that makes it explainable:
 * which record, which OSV package entry, which range or version list matched, under which
 * version scheme. `status` is `affected` when the ranges say so, `unknown` when the installed
 * version could not be evaluated (reported apart, never counted as safe or vulnerable).
 */
export interface VulnerabilityFinding {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly status: 'affected' | 'unknown';
  readonly package: {
    readonly ecosystem: Ecosystem;
    readonly name: string;
    readonly version: string;
    readonly purl: string;
    readonly path: string;
    readonly layer: LayerRef;
    readonly source?: { readonly name: string; readonly version: string };
  };
  readonly installedVersion: string;
  /** Versions that fix it, from the matched entry's `fixed` events (empty: no fix yet). */
  readonly fixedVersions: readonly string[];
  readonly severity: Severity;
  readonly cvss?: { readonly version: string; readonly score: number; readonly vector: string };
  readonly severitySource: string;
  readonly summary: string | undefined;
  readonly description: string | undefined;
  readonly references: readonly string[];
  readonly published: string | undefined;
  readonly modified: string;
  readonly evidence: {
    readonly osvEcosystem: string;
    readonly osvPackage: string;
    /** The package name the record was looked up by: the binary package, or its source package. */
    readonly matchedBy: 'name' | 'source';
    readonly scheme: SchemeId;
    readonly range: RangeEvidence | undefined;
    /** Why the status is unknown. */
    readonly reason?: string;
  };
}
