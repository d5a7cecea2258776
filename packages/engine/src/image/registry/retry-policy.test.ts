import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { backoffDelay, defaultRetryPolicy, isRetryableStatus, parseRetryAfter } from './retry-policy.ts';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('reads delay-seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter(' 120 ', now), 120_000);
    assert.equal(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now), 0);
  });
  it('ignores what it cannot read', () => {
    for (const value of [undefined, '', '-5', '1.5', 'soon', '1e3'])
      assert.equal(parseRetryAfter(value, now), undefined, String(value));
  });
});

describe('backoffDelay', () => {
  it('doubles, caps and jitters between half and the full delay', () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(
      backoffDelay(0, policy, () => 0),
      50,
    );
    assert.equal(
      backoffDelay(0, policy, () => 0.999999),
      100,
    );
    assert.equal(
      backoffDelay(2, policy, () => 0),
      200,
    );
    assert.equal(
      backoffDelay(10, policy, () => 0.999999),
      1000,
    );
    fc.assert(
      fc.property(fc.nat(100), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (retry, r) => {
        const delay = backoffDelay(retry, policy, () => r);
        assert.ok(delay >= 50 && delay <= 1000);
      }),
    );
  });
  it('retries server errors but not client errors', () => {
    assert.deepEqual([500, 502, 503, 504, 408].map(isRetryableStatus), [true, true, true, true, true]);
    assert.deepEqual([400, 401, 404, 429, 501].map(isRetryableStatus), [false, false, false, false, false]);
  });
});
