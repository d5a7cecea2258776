import type { LicenseCategory } from './license-category.ts';
import type { ProhibitedSoftware } from './prohibited-software-entry.ts';

/**
 * What a project treats as a compliance problem. Every field is optional; `defaultPolicy` says
 * what an absent field means.
 */
export interface CompliancePolicy {
  /** Licence categories whose use is a violation (severity high). */
  readonly forbiddenCategories?: readonly LicenseCategory[];
  /** Licence categories reported for review (severity medium). */
  readonly restrictedCategories?: readonly LicenseCategory[];
  /**
   * Which packages a restricted licence is reported for. `application` (the default) leaves out OS
   * packages (deb, apk, rpm): a GPL program the distribution ships beside the application is an
   * aggregate, not a work derived from it, so reporting the GPL of bash in every image is noise.
   */
  readonly restrictedScope?: 'all' | 'application';
  /**
   * SPDX ids always accepted, whatever their category. An id without `-only`/`-or-later`
   * (`GPL-2.0`) covers both variants; with one it covers only that variant.
   */
  readonly allowIds?: readonly string[];
  /** SPDX ids always a violation (severity high), matched like `allowIds`; deny wins over allow. */
  readonly denyIds?: readonly string[];
  /** Report licences that could not be read or classified (severity low). */
  readonly reportUnknown?: boolean;
  /** Report packages that declare no licence at all (severity low); they are always counted. */
  readonly reportUndeclared?: boolean;
  /** The project's own prohibited software, checked beside the built-in list. */
  readonly prohibitedSoftware?: readonly ProhibitedSoftware[];
  /** Ids of built-in prohibited entries the project accepts (a debugging image that needs socat). */
  readonly allowSoftware?: readonly string[];
  /** Report an end of life this many days ahead (severity low); 0 reports only what is past. */
  readonly endOfLifeNoticeDays?: number;
}

export type ResolvedPolicy = Required<CompliancePolicy>;

/**
 * The defaults: forbidden licences are violations and restricted (strong copyleft) ones of
 * application packages are reported for review; reciprocal, notice, permissive and unencumbered licences pass. Unreadable
 * licences are reported at low severity so they get looked at, but packages that declare none
 * (lock files rarely do) are only counted, or every npm image would drown in them.
 */
export const defaultPolicy: ResolvedPolicy = {
  forbiddenCategories: ['forbidden'],
  restrictedCategories: ['restricted'],
  restrictedScope: 'application',
  allowIds: [],
  denyIds: [],
  reportUnknown: true,
  reportUndeclared: false,
  prohibitedSoftware: [],
  allowSoftware: [],
  endOfLifeNoticeDays: 90,
};

export function resolvePolicy(policy: CompliancePolicy | undefined): ResolvedPolicy {
  // Field by field, so an explicit `undefined` means the default too.
  return {
    forbiddenCategories: policy?.forbiddenCategories ?? defaultPolicy.forbiddenCategories,
    restrictedCategories: policy?.restrictedCategories ?? defaultPolicy.restrictedCategories,
    restrictedScope: policy?.restrictedScope ?? defaultPolicy.restrictedScope,
    allowIds: policy?.allowIds ?? defaultPolicy.allowIds,
    denyIds: policy?.denyIds ?? defaultPolicy.denyIds,
    reportUnknown: policy?.reportUnknown ?? defaultPolicy.reportUnknown,
    reportUndeclared: policy?.reportUndeclared ?? defaultPolicy.reportUndeclared,
    prohibitedSoftware: policy?.prohibitedSoftware ?? defaultPolicy.prohibitedSoftware,
    allowSoftware: policy?.allowSoftware ?? defaultPolicy.allowSoftware,
    endOfLifeNoticeDays: policy?.endOfLifeNoticeDays ?? defaultPolicy.endOfLifeNoticeDays,
  };
}
