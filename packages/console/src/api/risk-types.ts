import type { HandlingState } from './handling-types.ts';
import type {
  BaselineCheck,
  ComplianceFinding,
  ImageSummary,
  InventoryPackage,
  MalwareFinding,
  SecretFinding,
  VulnerabilityFinding,
} from './report-types.ts';

/**
 * The risk views (server api/routes/risk-routes.ts, results/risk-groups.ts and finding-keys.ts;
 * PRODUCT.md 8): each distinct finding of a kind once across the project's live images, most
 * severe first, then the most widespread, with the images it affects.
 *
 * A finding is given as the finding index first saw it, in the report section's own shape (the
 * image report's types), less what differs per image: a vulnerability's `handling` and a secret's
 * `ignoredBy` move to each affected image's `handling`, exactly as the server's schemas omit them.
 */

/** The kinds, in the order the API lists its routes (the console's tabs follow it). */
export const riskViewKinds = [
  'vulnerability',
  'secret',
  'malware',
  'baseline',
  'compliance',
  'inventory',
] as const;
export type RiskViewKind = (typeof riskViewKinds)[number];

/** The finding of each kind as a risk view gives it. */
export interface RiskFindingOf {
  readonly vulnerability: Omit<VulnerabilityFinding, 'handling'>;
  readonly secret: Omit<SecretFinding, 'ignoredBy'>;
  readonly malware: MalwareFinding;
  /** Failed checks only (passed and not-applicable ones are no risk). */
  readonly baseline: BaselineCheck;
  readonly compliance: ComplianceFinding;
  /** A package version (keyed by purl where it has one). */
  readonly inventory: InventoryPackage;
}

/** A platform of an image whose current result holds the finding. */
export interface AffectedPlatform {
  /** `os/arch[/variant]`; `''` for a single-platform image. */
  readonly platform: string;
  readonly resultId: string;
}

/**
 * An image holding a finding. `handling` is the finding's state in this image: vulnerabilities
 * take any state, secrets `open` or `ignored`, every other kind is always `open`.
 */
export interface AffectedImage {
  readonly image: ImageSummary;
  readonly platforms: readonly AffectedPlatform[];
  readonly handling: HandlingState;
}

/** One finding of a risk view. */
export interface RiskFinding<K extends RiskViewKind> {
  /** The finding's identity; `…/images?key=` lists every image it affects. */
  readonly key: string;
  /** Absent for the inventory (packages carry no severity). */
  readonly severity?: string;
  readonly finding: RiskFindingOf[K];
  /** Images affected, matching the filter (a handling filter counts only images in those states). */
  readonly imageCount: number;
  /** The first affected images, `samples` of them (by image id, or as the handling filter found them). */
  readonly images: readonly AffectedImage[];
}

/**
 * `GET /projects/{projectId}/risks/{kind}`; query: `severity` (list; not for the inventory),
 * `handling` (list), `imageId` (list), `search` (a substring of the key, at most 200 characters),
 * `samples` (affected images listed per finding, 0 to 10, 1 by default), `offset`, `limit` (1 to
 * 1,000, 100 by default).
 */
export interface RiskViewPage<K extends RiskViewKind> {
  readonly kind: K;
  /** Distinct findings matching the filter. */
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly findings: readonly RiskFinding<K>[];
}

/**
 * `GET /projects/{projectId}/risks/{kind}/images?key=`; query also `handling`, `imageId`, `offset`,
 * `limit`. Images by repository, tag and registry name. Answered 404 (`not_found`) for a key no
 * live image holds (every image holding it was deleted since the view was read).
 */
export interface AffectedImagePage<K extends RiskViewKind> {
  readonly kind: K;
  readonly key: string;
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly images: readonly AffectedImage[];
}
