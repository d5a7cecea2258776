import parseSpdxExpression from 'spdx-expression-parse';

/** A parsed SPDX licence expression (https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/). */
export type SpdxNode = SpdxLicense | SpdxConjunction;

export interface SpdxLicense {
  readonly license: string;
  readonly plus?: true | undefined;
  readonly exception?: string | undefined;
}

export interface SpdxConjunction {
  readonly conjunction: 'and' | 'or';
  readonly left: SpdxNode;
  readonly right: SpdxNode;
}

/** The expression's tree, or undefined when it is not valid SPDX (unknown ids included). */
export function parseSpdx(text: string): SpdxNode | undefined {
  try {
    return parseSpdxExpression(text);
  } catch {
    return undefined;
  }
}

/** Deprecated `GPL-2.0-with-…-exception` ids, split into the licence and the exception SPDX now names. */
const deprecatedWithException: Readonly<Record<string, readonly [string, string]>> = {
  'GPL-2.0-with-GCC-exception': ['GPL-2.0', 'GCC-exception-2.0'],
  'GPL-2.0-with-classpath-exception': ['GPL-2.0', 'Classpath-exception-2.0'],
  'GPL-2.0-with-autoconf-exception': ['GPL-2.0', 'Autoconf-exception-2.0'],
  'GPL-2.0-with-bison-exception': ['GPL-2.0', 'Bison-exception-2.2'],
  'GPL-2.0-with-font-exception': ['GPL-2.0', 'Font-exception-2.0'],
  'GPL-3.0-with-GCC-exception': ['GPL-3.0', 'GCC-exception-3.1'],
  'GPL-3.0-with-autoconf-exception': ['GPL-3.0', 'Autoconf-exception-3.0'],
};

const gnuVersioned = /^(AGPL|LGPL|GPL|GFDL)-(\d\.\d)(\+|-only|-or-later)?$/;

/**
 * One licence in its current SPDX spelling: deprecated GNU ids (`GPL-2.0`, `GPL-2.0+`, with `+`
 * as a separate flag too) become `-only`/`-or-later`, deprecated `-with-…-exception` ids become
 * `WITH`. Other ids keep their `+`.
 */
export function canonicalLicense(node: SpdxLicense): SpdxLicense {
  const split = deprecatedWithException[node.license];
  const license = split ? split[0] : node.license;
  const exception = node.exception ?? split?.[1];
  const gnu = gnuVersioned.exec(license);
  if (gnu) {
    const later = node.plus === true || gnu[3] === '+' || gnu[3] === '-or-later';
    return { license: `${gnu[1]}-${gnu[2]}-${later ? 'or-later' : 'only'}`, exception };
  }
  return { license, plus: node.plus, exception };
}

function leafText(node: SpdxLicense): string {
  const canonical = canonicalLicense(node);
  const plus = canonical.plus ? '+' : '';
  return canonical.exception
    ? `${canonical.license}${plus} WITH ${canonical.exception}`
    : `${canonical.license}${plus}`;
}

/**
 * The expression written back in canonical form: upper-case operators, current ids, and
 * parentheses only where an `OR` sits inside an `AND` (AND binds tighter) or vice versa for clarity.
 */
export function formatSpdx(node: SpdxNode): string {
  if (!('conjunction' in node)) return leafText(node);
  const side = (child: SpdxNode): string =>
    'conjunction' in child && child.conjunction !== node.conjunction
      ? `(${formatSpdx(child)})`
      : formatSpdx(child);
  return `${side(node.left)} ${node.conjunction.toUpperCase()} ${side(node.right)}`;
}

/** The licences of an expression, left to right. */
export function licensesOf(node: SpdxNode): SpdxLicense[] {
  return 'conjunction' in node
    ? [...licensesOf(node.left), ...licensesOf(node.right)]
    : [canonicalLicense(node)];
}
