/**
 * The worker-thread side of `findWeakPasswords`: verifies one batch of guesses against one hash.
 * Loaded by piscina; under `node --import tsx` threads inherit the loader, so this `.ts` file runs
 * as is.
 */
import { firstMatch, type GuessBatch } from './verify-password.ts';

export default function verifyBatch(batch: GuessBatch): number {
  return firstMatch(batch);
}
