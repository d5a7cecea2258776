import spdxCorrect from 'spdx-correct';
import parseSpdxExpression from 'spdx-expression-parse';

/** A declared licence as SPDX understands it: a valid expression, or the original text kept as-is. */
export type NormalisedLicense =
  | { readonly kind: 'spdx'; readonly expression: string; readonly declared: string }
  | { readonly kind: 'unknown'; readonly declared: string };

function isValidExpression(text: string): boolean {
  try {
    parseSpdxExpression(text);
    return true;
  } catch {
    return false;
  }
}

const debianShortNames: Readonly<Record<string, string>> = {
  // DEP-5 short names whose `+` means "or later" and which spdx-correct does not map on its own.
  'GPL-1+': 'GPL-1.0-or-later',
  'GPL-2+': 'GPL-2.0-or-later',
  'GPL-3+': 'GPL-3.0-or-later',
  'LGPL-2+': 'LGPL-2.0-or-later',
  'LGPL-2.1+': 'LGPL-2.1-or-later',
  'LGPL-3+': 'LGPL-3.0-or-later',
  'AGPL-3+': 'AGPL-3.0-or-later',
  'GFDL-1.2+': 'GFDL-1.2-or-later',
  'GFDL-1.3+': 'GFDL-1.3-or-later',
  'public-domain': 'LicenseRef-public-domain',
  // DEP-5's "Artistic" is Perl's Artistic License 1.0.
  Artistic: 'Artistic-1.0-Perl',
  'BSD-3-clause': 'BSD-3-Clause',
  'BSD-2-clause': 'BSD-2-Clause',
};

/**
 * Normalises one declared licence to an SPDX expression (https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/):
 * valid expressions pass unchanged, known Debian short names and common misspellings
 * (spdx-correct) are corrected, and the rest stays `unknown` with its original text.
 */
export function normaliseLicense(declared: string): NormalisedLicense {
  const text = declared.trim();
  if (text === '') return { kind: 'unknown', declared };
  const debian = debianShortNames[text];
  if (debian) return { kind: 'spdx', expression: debian, declared };
  if (isValidExpression(text)) return { kind: 'spdx', expression: text, declared };
  // "GPL-2+ or Artistic" and "MIT/X11" style compounds: correct each operand.
  const operands = text
    .split(/\s+(and|or)\s+|\s*[|/]\s*/i)
    .filter((part) => part && !/^(and|or)$/i.test(part));
  const joiner = /\s+and\s+/i.test(text) ? ' AND ' : ' OR ';
  const corrected = operands.map((part) => debianShortNames[part] ?? spdxCorrect(part, { upgrade: true }));
  if (corrected.length > 0 && corrected.every((part): part is string => typeof part === 'string')) {
    const expression =
      corrected.length === 1
        ? (corrected[0] ?? '')
        : corrected.map((part) => (part.includes(' ') ? `(${part})` : part)).join(joiner);
    if (isValidExpression(expression)) return { kind: 'spdx', expression, declared };
  }
  return { kind: 'unknown', declared };
}

/** The declared licences of one package joined into one SPDX expression (AND), or undefined. */
export function combinedExpression(declared: readonly string[]): {
  expression: string | undefined;
  unknown: string[];
} {
  const parts: string[] = [];
  const unknown: string[] = [];
  for (const license of declared) {
    const normalised = normaliseLicense(license);
    if (normalised.kind === 'spdx') {
      if (!parts.includes(normalised.expression)) parts.push(normalised.expression);
    } else if (normalised.declared.trim() !== '') unknown.push(normalised.declared.trim());
  }
  if (parts.length === 0) return { expression: undefined, unknown };
  const expression =
    parts.length === 1 ? parts[0] : parts.map((part) => (/\s/.test(part) ? `(${part})` : part)).join(' AND ');
  return { expression, unknown };
}
