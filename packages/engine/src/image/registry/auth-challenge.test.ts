import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { findBearerChallenge, hasBasicChallenge, parseAuthChallenges } from './auth-challenge.ts';

describe('parseAuthChallenges', () => {
  it('parses a Basic challenge', () => {
    assert.deepEqual(parseAuthChallenges('Basic realm="test-realm"'), [
      { scheme: 'basic', params: { realm: 'test-realm' } },
    ]);
  });

  it('parses the Bearer challenge of distribution, with commas and colons inside quotes', () => {
    const header =
      'Bearer realm="http://127.0.0.1:5001/token",service="test-registry",scope="repository:a/b:pull,push",error="insufficient_scope"';
    const challenges = parseAuthChallenges(header);
    assert.equal(challenges.length, 1);
    assert.deepEqual(findBearerChallenge(challenges), {
      realm: 'http://127.0.0.1:5001/token',
      service: 'test-registry',
      scope: 'repository:a/b:pull,push',
      error: 'insufficient_scope',
    });
  });

  it('accepts unquoted values, spaces around "=", mixed case names and escapes', () => {
    const [challenge] = parseAuthChallenges(
      'BEARER Realm = https://auth.example/token , Service=reg, scope="a\\"b"',
    );
    assert.deepEqual(challenge, {
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'reg', scope: 'a"b' },
    });
  });

  it('splits several challenges in one header and across headers', () => {
    const challenges = parseAuthChallenges([
      'Basic realm="r1", Bearer realm="https://t/x",service="s"',
      'Negotiate abc==, Basic',
    ]);
    assert.deepEqual(
      challenges.map((c) => c.scheme),
      ['basic', 'bearer', 'negotiate', 'basic'],
    );
    assert.equal(challenges[2]?.token68, 'abc==');
    assert.equal(hasBasicChallenge(challenges), true);
    assert.equal(findBearerChallenge(challenges)?.service, 's');
  });

  it('returns nothing for missing or empty headers and no Bearer without a realm', () => {
    assert.deepEqual(parseAuthChallenges(undefined), []);
    assert.deepEqual(parseAuthChallenges(''), []);
    assert.equal(findBearerChallenge(parseAuthChallenges('Bearer service="x"')), undefined);
  });

  it('never throws and always terminates', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        parseAuthChallenges(text);
      }),
      { numRuns: 2000 },
    );
    const pieces = fc.constantFrom('Bearer', 'Basic', ' ', ',', '=', '"', '\\', 'realm', 'x', '==', '\t');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        parseAuthChallenges(parts.join(''));
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips generated Bearer challenges', () => {
    const value = fc.string({ maxLength: 30 }).filter((text) => !/[\r\n]/.test(text));
    fc.assert(
      fc.property(value, value, value, (realm, service, scope) => {
        fc.pre(realm !== '');
        const quote = (text: string): string => `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
        const header = `Bearer realm=${quote(realm)},service=${quote(service)},scope=${quote(scope)}`;
        assert.deepEqual(findBearerChallenge(parseAuthChallenges(header)), {
          realm,
          service,
          scope,
          error: undefined,
        });
      }),
    );
  });
});
