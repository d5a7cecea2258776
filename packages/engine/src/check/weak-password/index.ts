/**
 * The weak-password check's public surface: guess /etc/shadow hashes against a dictionary and map
 * the result to a baseline check.
 */
export {
  defaultMaxGuesses,
  findWeakPasswords,
  type WeakPasswordFinding,
  type WeakPasswordOptions,
  type WeakPasswordResult,
} from './find-weak-passwords.ts';
export { parseShadowHashes, type ShadowHash } from './shadow-hashes.ts';
export { type WeakPasswordAlgorithm } from './hash-algorithm.ts';
export { weakPasswordCheck } from './weak-password-check.ts';
export { maskPassword } from './mask-password.ts';
