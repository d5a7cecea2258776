/**
 * Shared fixtures for the suppression tests (not imported by production code): a typed-error
 * assertion and a minimal OpenVEX v0.2.0 document builder.
 */
import assert from 'node:assert/strict';
import { SuppressionFileError } from './suppressions-error.ts';

/** Runs a parse that must fail, asserts it threw a SuppressionFileError of this code, and returns it. */
export function invalid(run: () => unknown, code: SuppressionFileError['code']): SuppressionFileError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof SuppressionFileError, `expected a SuppressionFileError, got ${String(caught)}`);
  assert.equal(caught.code, code);
  return caught;
}

/** An OpenVEX v0.2.0 document with these statements, as JSON text. */
export function vex(
  statements: readonly Record<string, unknown>[],
  timestamp = '2024-05-01T00:00:00Z',
): string {
  return JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://example.com/vex/1',
    author: 'Example Security <security@example.com>',
    timestamp,
    version: 1,
    statements,
  });
}
