import type { SeverityLevel } from './handling-types.ts';
import type { RegistryType, RiskCounts, RiskLevel } from './image-types.ts';
import type { RiskType } from './task-types.ts';

/**
 * The overview's finding figures, as `GET /projects/{projectId}/overview/findings` and
 * `GET /projects/{projectId}/overview/trend?days=` answer them (server
 * api/routes/overview-routes.ts, results/risk-overview.ts and risk-trend.ts). Days are UTC
 * calendar days (`YYYY-MM-DD`); instants are RFC 3339 strings.
 */

/** The findings of one risk type and severity in the project's live images. */
export interface FindingCount {
  readonly kind: RiskType;
  readonly severity: SeverityLevel;
  /** Distinct findings: each counted once however many images hold it. */
  readonly findings: number;
  /** The sum over those findings of the live images holding each (image × finding pairs). */
  readonly imageFindings: number;
}

export interface VulnerablePackage {
  readonly ecosystem: string;
  readonly name: string;
  /** Distinct advisories against any of its installed versions. */
  readonly advisories: number;
  /** Distinct installed versions with an advisory. */
  readonly versions: number;
  readonly worstSeverity: SeverityLevel;
  /** Live images holding its most widespread advisory: a lower bound of the images with any of them. */
  readonly images: number;
}

/** An image as the overview names it (the API's ImageSummary). */
export interface OverviewImage {
  readonly id: string;
  readonly connectionId: string;
  readonly connectionName: string;
  readonly registryType: RegistryType;
  readonly namespace: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
}

export interface VulnerableImage {
  readonly image: OverviewImage;
  readonly riskLevel: RiskLevel | null;
  /** Open findings (handled vulnerabilities left out), as the image list counts them. */
  readonly riskCounts: RiskCounts;
}

export interface FindingOverview {
  /**
   * Every risk type × severity, zeros included. Handled findings (ignored, allowlisted) are
   * counted: handling is per image, and these count findings across images.
   */
  readonly counts: readonly FindingCount[];
  /** At most 10: worst severity first, then the most images, then the most advisories. */
  readonly topPackages: readonly VulnerablePackage[];
  /** At most 10 live images with open vulnerabilities, the most critical first. */
  readonly topImages: readonly VulnerableImage[];
}

export interface TrendDay {
  /** `YYYY-MM-DD` (UTC). */
  readonly day: string;
  /** When the day was counted (a day keeps its last count; today's is taken on every read). */
  readonly recordedAt: string;
  /** Every risk type × severity. */
  readonly counts: readonly FindingCount[];
}

export interface FindingTrend {
  /** The first day of the range asked for. */
  readonly since: string;
  /** Today (UTC). */
  readonly until: string;
  /** The project's first recorded day: the trend holds nothing earlier. Null: nothing recorded. */
  readonly firstRecordedDay: string | null;
  /** The recorded days of the range, oldest first; days the service did not run are absent. */
  readonly days: readonly TrendDay[];
}
