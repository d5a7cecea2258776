import { createRequire } from 'node:module';
import spdxCorrect from 'spdx-correct';
import { licenseAliases } from './license-aliases.ts';
import { formatSpdx, parseSpdx } from './spdx-expression.ts';

/** A declared licence as SPDX understands it, or `unknown` with the original text kept. */
export type NormalisedLicense =
  | { readonly kind: 'spdx'; readonly expression: string; readonly declared: string }
  | { readonly kind: 'unknown'; readonly declared: string };

const require = createRequire(import.meta.url);
const spdxIds: readonly string[] = [
  ...(require('spdx-license-ids') as string[]),
  ...(require('spdx-license-ids/deprecated.json') as string[]),
];
const idByLowerCase = new Map(spdxIds.map((id) => [id.toLowerCase(), id]));

const gnuShortName = /^(agpl|lgpl|gpl|gfdl)[\s-]?v?(\d)?(?:\.(\d))?(\+|-or-later|-only)?$/i;

/** Fedora `GPLv2+`, Debian `GPL-2+`, Alpine `GPL2`, bare `GPL`: the GNU family by pattern. */
function gnuFamily(phrase: string): string | undefined {
  const match = gnuShortName.exec(phrase);
  if (!match) return undefined;
  const family = (match[1] ?? '').toUpperCase();
  const major = match[2];
  const minor = match[3] ?? '0';
  const suffix = match[4];
  if (major === undefined) {
    // An unversioned name grants any version: the oldest one, or later.
    if (suffix === '-only') return undefined;
    const oldest: Readonly<Record<string, string>> = { GPL: '1.0', LGPL: '2.0', AGPL: '3.0', GFDL: '1.1' };
    return `${family}-${oldest[family]}-or-later`;
  }
  const later = suffix === '+' || suffix === '-or-later';
  const id = `${family}-${major}.${minor}-${later ? 'or-later' : 'only'}`;
  return idByLowerCase.has(id.toLowerCase()) ? id : undefined;
}

/** A phrase that names one licence exactly: an alias, a GNU short name or an SPDX id in any case. */
function exactLicense(phrase: string): string | undefined {
  const lower = phrase.toLowerCase();
  const alias = licenseAliases[lower];
  if (alias) return alias;
  const gnu = gnuFamily(phrase);
  if (gnu) return gnu;
  const plus = lower.endsWith('+') ? '+' : '';
  const id = idByLowerCase.get(plus ? lower.slice(0, -1) : lower);
  if (id) return `${id}${plus}`;
  if (/^licenseref-[a-z0-9.-]+$/i.test(phrase)) return phrase;
  return undefined;
}

/**
 * The SPDX expression one operand stands for. Several words that each name a licence exactly are
 * Alpine's space-separated list (`MIT BSD GPL2+`: all apply); otherwise spdx-correct guesses.
 */
function licenseOfPhrase(phrase: string): string | undefined {
  const exact = exactLicense(phrase);
  if (exact) return exact;
  // A GNU short name with a version that does not exist (`GPLv9+`) is not guessed at.
  if (gnuShortName.test(phrase)) return undefined;
  const words = phrase.split(' ');
  if (words.length > 1) {
    const each = words.map(exactLicense);
    if (each.every((id): id is string => id !== undefined)) return each.join(' AND ');
  }
  return spdxCorrect(phrase, { upgrade: true }) ?? undefined;
}

/** An exception named after WITH, if SPDX knows it (checked by parsing it after a known licence). */
function exceptionOfPhrase(phrase: string): string | undefined {
  return parseSpdx(`MIT WITH ${phrase}`) ? phrase : undefined;
}

type Token =
  | { readonly kind: 'open' }
  | { readonly kind: 'close' }
  | { readonly kind: 'operator'; readonly operator: 'AND' | 'OR' | 'WITH' }
  | { readonly kind: 'word'; readonly text: string };

const operatorWords: Readonly<Record<string, 'AND' | 'OR' | 'WITH'>> = {
  and: 'AND',
  '&': 'AND',
  ',': 'AND',
  ';': 'AND',
  or: 'OR',
  '|': 'OR',
  '/': 'OR',
  with: 'WITH',
};

function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  for (const piece of text.split(/([()&|/,;])|\s+/)) {
    if (piece === undefined || piece === '') continue;
    if (piece === '(') tokens.push({ kind: 'open' });
    else if (piece === ')') tokens.push({ kind: 'close' });
    else {
      const operator = operatorWords[piece.toLowerCase()];
      tokens.push(operator ? { kind: 'operator', operator } : { kind: 'word', text: piece });
    }
  }
  return tokens;
}

/**
 * Rewrites free text operand by operand, keeping its operators and parentheses, so
 * `(LGPLv3+ or GPLv2+) and GPLv3+` keeps its meaning. An exception SPDX does not know
 * (`GPLv2+ with exceptions`) is dropped: the licence without it is the stricter reading.
 */
function rewriteFreeText(text: string): string | undefined {
  const out: string[] = [];
  let words: string[] = [];
  let afterWith = false;
  const flush = (): boolean => {
    if (words.length === 0) return true;
    const phrase = words.join(' ');
    words = [];
    if (afterWith) {
      afterWith = false;
      const exception = exceptionOfPhrase(phrase);
      if (exception) out.push('WITH', exception);
      return true;
    }
    const license = licenseOfPhrase(phrase);
    if (!license) return false;
    out.push(/\s/.test(license) ? `(${license})` : license);
    return true;
  };
  for (const token of tokenise(text)) {
    if (token.kind === 'word') {
      words.push(token.text);
      continue;
    }
    if (!flush()) return undefined;
    if (token.kind === 'open') out.push('(');
    else if (token.kind === 'close') out.push(')');
    else if (token.operator === 'WITH') afterWith = true;
    else out.push(token.operator);
  }
  if (!flush()) return undefined;
  return out.join(' ').replaceAll('( ', '(').replaceAll(' )', ')');
}

/**
 * Normalises one declared licence (a package database field, a lock file's `license`, a Debian
 * copyright `License:` line) to a canonical SPDX expression; what cannot be read as one stays
 * `unknown` with its original text.
 */
export function normaliseLicense(declared: string): NormalisedLicense {
  const text = declared.trim().replace(/\s+/g, ' ');
  if (text === '') return { kind: 'unknown', declared };
  const whole = exactLicense(text);
  const candidates = [whole, text, rewriteFreeText(text)];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    const tree = parseSpdx(candidate);
    if (tree) return { kind: 'spdx', expression: formatSpdx(tree), declared };
  }
  return { kind: 'unknown', declared };
}
