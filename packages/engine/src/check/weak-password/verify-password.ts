/**
 * One verifier per hash: parses the hash once, then answers whether a candidate password produces
 * it. Shared by the worker threads and the inline path so both give the same answers.
 */
import bcrypt from 'bcryptjs';
import unixCryptTD from 'unix-crypt-td-js';
import { verify as shaCryptVerify } from 'unixcrypt';
import type { WeakPasswordAlgorithm } from './hash-algorithm.ts';
import { md5crypt } from './md5crypt.ts';
import { parseYescryptSetting, yescryptMatches } from './yescrypt.ts';

export type PasswordVerifier = (password: string) => boolean;

export function createVerifier(algorithm: WeakPasswordAlgorithm, hash: string): PasswordVerifier {
  switch (algorithm) {
    case 'des': {
      const salt = hash.slice(0, 2);
      return (password) => unixCryptTD(password, salt) === hash;
    }
    case 'md5crypt':
      return (password) => md5crypt(password, hash) === hash;
    case 'sha256crypt':
    case 'sha512crypt':
      return (password) => shaCryptVerify(password, hash);
    case 'bcrypt':
      return (password) => bcrypt.compareSync(password, hash);
    case 'yescrypt': {
      const setting = parseYescryptSetting(hash);
      return (password) => yescryptMatches(password, setting);
    }
  }
}

/** A batch of guesses against one hash, as sent to a worker. */
export interface GuessBatch {
  readonly algorithm: WeakPasswordAlgorithm;
  readonly hash: string;
  readonly passwords: readonly string[];
}

/** The index of the first password that matches, or -1 when none does. */
export function firstMatch(batch: GuessBatch): number {
  const verifies = createVerifier(batch.algorithm, batch.hash);
  return batch.passwords.findIndex((password) => verifies(password));
}
