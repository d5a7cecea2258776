import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DrydockError } from '../../util/errors.ts';
import { TokenCache } from './token-cache.ts';
import { parseTokenResponse } from './token-response.ts';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('parseTokenResponse', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads token, access_token, expires_in and issued_at', () => {
    assert.deepEqual(parseTokenResponse(json({ token: 't', expires_in: 300 }), now), {
      token: 't',
      expiresAt: now + 300_000,
    });
    assert.deepEqual(parseTokenResponse(json({ access_token: 'a' }), now), {
      token: 'a',
      expiresAt: now + 60_000,
    });
    assert.deepEqual(
      parseTokenResponse(json({ token: 't', expires_in: 120, issued_at: '2025-12-31T23:59:00Z' }), now),
      {
        token: 't',
        expiresAt: now + 60_000,
      },
    );
  });

  it('falls back to now when issued_at is unparsable or further away than the lifetime', () => {
    assert.equal(
      parseTokenResponse(json({ token: 't', issued_at: 'yesterday' }), now).expiresAt,
      now + 60_000,
    );
    assert.equal(
      parseTokenResponse(json({ token: 't', expires_in: 60, issued_at: '2020-01-01T00:00:00Z' }), now)
        .expiresAt,
      now + 60_000,
    );
  });

  it('rejects responses without a token and never echoes the body', () => {
    for (const body of [
      Buffer.from('not json secret-xyz'),
      json({ expires_in: 5 }),
      json({ token: '' }),
      json({ token: 'secret-xyz', expires_in: 'x' }),
    ]) {
      assert.throws(
        () => parseTokenResponse(body, now),
        (error: unknown) =>
          error instanceof DrydockError &&
          error.code === 'authentication_failed' &&
          !error.message.includes('secret-xyz'),
      );
    }
  });
});

describe('TokenCache', () => {
  it('keeps tokens per key until shortly before they expire', () => {
    let now = 1_000_000;
    const cache = new TokenCache(() => now);
    const key = TokenCache.key('r', 's', 'repository:a:pull');
    assert.equal(cache.get(key), undefined);
    cache.set(key, { token: 'A', expiresAt: now + 300_000 });
    assert.equal(cache.get(key), 'A');
    assert.equal(cache.get(TokenCache.key('r', 's', 'repository:b:pull')), undefined);
    now += 289_999;
    assert.equal(cache.get(key), 'A');
    now += 1;
    assert.equal(cache.get(key), undefined, 'refreshed 10 s before expiry');
    assert.equal(cache.size, 0);
  });

  it('uses a tenth of short lifetimes as the margin', () => {
    let now = 0;
    const cache = new TokenCache(() => now);
    cache.set('k', { token: 'A', expiresAt: 10_000 });
    now = 8_999;
    assert.equal(cache.get('k'), 'A');
    now = 9_000;
    assert.equal(cache.get('k'), undefined);
  });

  it('invalidates only the rejected token', () => {
    const cache = new TokenCache(() => 0);
    cache.set('k', { token: 'B', expiresAt: 60_000 });
    cache.invalidate('k', 'A');
    assert.equal(cache.get('k'), 'B');
    cache.invalidate('k', 'B');
    assert.equal(cache.get('k'), undefined);
  });
});
