import { baseLicenseId, bothCategory, classifyLicense, eitherCategory } from './classify-license.ts';
import type { ResolvedPolicy } from './compliance-policy.ts';
import type { LicenseCategory } from './license-category.ts';
import { normaliseLicense } from './normalise-license.ts';
import { canonicalLicense, parseSpdx, type SpdxNode } from './spdx-expression.ts';

/**
 * What the policy says of a licence, from acceptable to violation. `denied` is a violation named
 * by the project's deny list rather than by category.
 */
export type LicenseVerdict = 'allowed' | 'unknown' | 'restricted' | 'forbidden' | 'denied';

const verdictRank: Readonly<Record<LicenseVerdict, number>> = {
  allowed: 0,
  unknown: 1,
  restricted: 2,
  forbidden: 3,
  denied: 4,
};

/** One licence of a package with what the table and the policy say of it. */
export interface LicenseTerm {
  /** The canonical SPDX licence (with `WITH exception` when there is one), or the declared text when unreadable. */
  readonly license: string;
  readonly category: LicenseCategory;
  readonly verdict: LicenseVerdict;
}

/** A package's licences judged as a whole. */
export interface LicenseEvaluation {
  /** The canonical SPDX expression of every readable declared licence, joined with AND. */
  readonly expression: string | undefined;
  /** Declared texts that are not SPDX and could not be corrected. */
  readonly unreadable: readonly string[];
  readonly category: LicenseCategory;
  readonly verdict: LicenseVerdict;
  /** The licences that decide the verdict (for `OR`, those of the alternative that complies best). */
  readonly deciding: readonly LicenseTerm[];
  /** The package declares no licence at all. */
  readonly undeclared: boolean;
}

interface Outcome {
  readonly category: LicenseCategory;
  readonly verdict: LicenseVerdict;
  readonly deciding: readonly LicenseTerm[];
}

function listed(id: string, list: readonly string[]): boolean {
  return list.includes(id) || list.includes(baseLicenseId(id));
}

function termOutcome(
  license: string,
  id: string,
  category: LicenseCategory,
  policy: ResolvedPolicy,
): Outcome {
  const verdict: LicenseVerdict = listed(id, policy.denyIds)
    ? 'denied'
    : listed(id, policy.allowIds)
      ? 'allowed'
      : policy.forbiddenCategories.includes(category)
        ? 'forbidden'
        : policy.restrictedCategories.includes(category)
          ? 'restricted'
          : category === 'unknown'
            ? 'unknown'
            : 'allowed';
  return { category, verdict, deciding: [{ license, category, verdict }] };
}

function either(a: Outcome, b: Outcome): Outcome {
  const better = verdictRank[a.verdict] <= verdictRank[b.verdict] ? a : b;
  return { ...better, category: eitherCategory(a.category, b.category) };
}

function both(a: Outcome, b: Outcome): Outcome {
  const verdict = verdictRank[a.verdict] >= verdictRank[b.verdict] ? a.verdict : b.verdict;
  const deciding = [...a.deciding, ...b.deciding].filter(
    (term, index, all) =>
      term.verdict === verdict && all.findIndex((other) => other.license === term.license) === index,
  );
  return { category: bothCategory(a.category, b.category), verdict, deciding };
}

function evaluateNode(node: SpdxNode, policy: ResolvedPolicy): Outcome {
  if ('conjunction' in node) {
    const left = evaluateNode(node.left, policy);
    const right = evaluateNode(node.right, policy);
    return node.conjunction === 'or' ? either(left, right) : both(left, right);
  }
  const canonical = canonicalLicense(node);
  const id = `${canonical.license}${canonical.plus ? '+' : ''}`;
  const text = canonical.exception ? `${id} WITH ${canonical.exception}` : id;
  return termOutcome(text, id, classifyLicense(canonical), policy);
}

/**
 * Judges a package's declared licences against a policy. Several declared licences all apply
 * (AND); within an expression `OR` takes the alternative that complies best and `AND` the one that
 * complies worst. An unreadable licence is one more `unknown` term of the AND.
 */
export function evaluateLicenses(declared: readonly string[], policy: ResolvedPolicy): LicenseEvaluation {
  const expressions: string[] = [];
  const unreadable: string[] = [];
  for (const text of declared) {
    if (text.trim() === '') continue;
    const normalised = normaliseLicense(text);
    if (normalised.kind === 'unknown') {
      if (!unreadable.includes(text.trim())) unreadable.push(text.trim());
    } else if (!expressions.includes(normalised.expression)) expressions.push(normalised.expression);
  }
  const outcomes = [
    ...expressions.map((expression) => {
      const tree = parseSpdx(expression);
      // normaliseLicense only returns expressions it has parsed.
      return tree ? evaluateNode(tree, policy) : termOutcome(expression, expression, 'unknown', policy);
    }),
    ...unreadable.map((text) => termOutcome(text, text, 'unknown', policy)),
  ];
  const expression =
    expressions.length <= 1
      ? expressions[0]
      : expressions.map((part) => (/ OR /.test(part) ? `(${part})` : part)).join(' AND ');
  const [first, ...rest] = outcomes;
  if (!first) {
    return {
      expression,
      unreadable,
      category: 'unknown',
      verdict: 'unknown',
      deciding: [],
      undeclared: true,
    };
  }
  const combined = rest.reduce(both, first);
  return { expression, unreadable, ...combined, undeclared: false };
}
