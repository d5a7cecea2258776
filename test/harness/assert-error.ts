/** Assertions on Drydock's typed failures. */
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { isDrydockError, type FailureCode } from '../../packages/engine/src/util/errors.ts';
import { readAll } from './layer-bytes.ts';

/** Asserts that `promise` rejects with a DrydockError of `code` (and `reason`, when given). */
export async function rejectsWithCode(
  promise: Promise<unknown>,
  code: FailureCode,
  reason?: string,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(
      isDrydockError(error),
      `expected a DrydockError, got ${error instanceof Error ? error.stack : String(error)}`,
    );
    assert.equal(error.code, code, error.message);
    if (reason !== undefined) assert.equal(error.reason, reason, error.message);
    return true;
  });
}

/** Asserts that a stream (opened by `open`) fails with `code`/`reason`, at open or while read. */
export async function streamFailsWith(
  open: () => Promise<Readable>,
  code: FailureCode,
  reason?: string,
): Promise<void> {
  await rejectsWithCode((async () => readAll(await open()))(), code, reason);
}
