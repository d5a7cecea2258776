/**
 * The passwords tried against a hash, most likely first: the account's own name and simple
 * variants of it, then the project's words, then the built-in dictionary in its frequency order.
 */
import { readFileSync } from 'node:fs';

export type CandidateSource = 'dictionary' | 'user-name' | 'project';

export interface Candidate {
  readonly password: string;
  readonly source: CandidateSource;
}

let dictionary: readonly string[] | undefined;

/**
 * John the Ripper's password.lst (see README.md beside it), most common first; its `#!comment:`
 * header is skipped.
 */
export function commonPasswords(): readonly string[] {
  dictionary ??= readFileSync(new URL('./password.lst', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line !== '' && !line.startsWith('#!comment:'));
  return dictionary;
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** `alice`, `Alice`, `alice1`, `Alice1`, `alice123`, ...: what people pick when the name is the password. */
export function userNameVariants(account: string): string[] {
  const names = [account, capitalised(account), account.toUpperCase()];
  const suffixes = ['', '1', '12', '123', '1234', '!', '01', '2024', '2025'];
  const variants = suffixes.flatMap((suffix) => names.map((name) => name + suffix));
  variants.push(account + account, [...account].reverse().join(''));
  return variants;
}

/**
 * Every candidate once, in order; when several accounts share the hash, each one's name counts.
 * `significantLength` cuts candidates to what the scheme reads (DES: 8 characters), so guesses that
 * would hash the same are made once.
 */
export function candidatesFor(
  accounts: readonly string[],
  extraWords: readonly string[],
  words: readonly string[],
  significantLength = Infinity,
): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  const add = (password: string, source: CandidateSource): void => {
    const key = password.slice(0, significantLength);
    if (password === '' || seen.has(key)) return;
    seen.add(key);
    out.push({ password, source });
  };
  for (const account of accounts) for (const variant of userNameVariants(account)) add(variant, 'user-name');
  for (const word of extraWords) add(word, 'project');
  for (const word of words) add(word, 'dictionary');
  return out;
}
