/**
 * How much a licence asks of whoever ships the software, from most to least: the categories of
 * Google's licence classifier (https://github.com/google/licenseclassifier), plus `unknown` for
 * what cannot be classified.
 */
export const licenseCategories = [
  'forbidden',
  'restricted',
  'reciprocal',
  'notice',
  'permissive',
  'unencumbered',
  'unknown',
] as const;

export type LicenseCategory = (typeof licenseCategories)[number];

/**
 * Rank by how encumbering a category is, used to combine an expression's operands: `OR` takes the
 * least encumbering alternative, `AND` the most. `unknown` ranks just below `forbidden` because an
 * unclassified licence may carry any obligation; only a known-forbidden one outranks it.
 */
export const encumbranceRank: Readonly<Record<LicenseCategory, number>> = {
  unencumbered: 0,
  permissive: 1,
  notice: 2,
  reciprocal: 3,
  restricted: 4,
  unknown: 5,
  forbidden: 6,
};
