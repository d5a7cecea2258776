import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../clock.ts';
import { LoginLimiter } from './login-limiter.ts';

test('an address gets its attempts per window, then a retry time; other addresses are not affected', () => {
  const clock = new ManualClock('2026-01-01T00:00:00Z');
  const limiter = new LoginLimiter(clock, { attempts: 3, windowMs: 60_000 });
  for (let attempt = 0; attempt < 3; attempt++)
    assert.deepEqual(limiter.admit('10.0.0.1'), { allowed: true });
  clock.advance(15_000);
  assert.deepEqual(limiter.admit('10.0.0.1'), { allowed: false, retryAfterSeconds: 45 });
  assert.deepEqual(limiter.admit('10.0.0.2'), { allowed: true });
  clock.advance(44_500);
  assert.deepEqual(limiter.admit('10.0.0.1'), { allowed: false, retryAfterSeconds: 1 });
  clock.advance(500);
  assert.deepEqual(limiter.admit('10.0.0.1'), { allowed: true });
});
