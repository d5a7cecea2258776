import { encumbranceRank, type LicenseCategory } from './license-category.ts';
import { licenseCategoryTable, linkingExceptions } from './license-categories.ts';
import type { SpdxLicense } from './spdx-expression.ts';

const categoryById = new Map<string, LicenseCategory>(
  Object.entries(licenseCategoryTable).flatMap(([category, ids]) =>
    ids.map((id): [string, LicenseCategory] => [id, category as LicenseCategory]),
  ),
);

/** The id without `-only`, `-or-later` or `+`: the key the GNU family is classified under. */
export function baseLicenseId(id: string): string {
  return id.replace(/(-only|-or-later|\+)$/, '');
}

/**
 * The category of one licence of an expression (canonical form, see spdx-expression.ts). A linking
 * exception makes strong copyleft weigh like file-level copyleft; ids the table does not list are
 * `unknown`.
 */
export function classifyLicense(license: SpdxLicense): LicenseCategory {
  const category =
    categoryById.get(license.license) ?? categoryById.get(baseLicenseId(license.license)) ?? 'unknown';
  if (category === 'restricted' && license.exception && linkingExceptions.has(license.exception))
    return 'reciprocal';
  return category;
}

/** `OR` leaves the choice to whoever ships: the least encumbering alternative counts. */
export function eitherCategory(a: LicenseCategory, b: LicenseCategory): LicenseCategory {
  return encumbranceRank[a] <= encumbranceRank[b] ? a : b;
}

/** `AND` means every licence applies: the most encumbering one counts. */
export function bothCategory(a: LicenseCategory, b: LicenseCategory): LicenseCategory {
  return encumbranceRank[a] >= encumbranceRank[b] ? a : b;
}
