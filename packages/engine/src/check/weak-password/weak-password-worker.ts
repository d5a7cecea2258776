/**
 * The worker-thread side of `findWeakPasswords`: verifies one batch of guesses against one hash.
 * Loaded by piscina; from the sources (Node's type stripping, or tsx's loader that threads inherit)
 * this `.ts` file runs as is.
 */
import { firstMatch, type GuessBatch } from './verify-password.ts';

export default function verifyBatch(batch: GuessBatch): number {
  return firstMatch(batch);
}
