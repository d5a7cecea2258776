import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLostConnection, retryOnLostConnection } from './connection-retry.ts';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

test('lost connections are told apart from failing statements', () => {
  assert.equal(
    isLostConnection(withCode('terminating connection due to administrator command', '57P01')),
    true,
  );
  assert.equal(isLostConnection(withCode('the database system is starting up', '57P03')), true);
  assert.equal(isLostConnection(withCode('connection failure', '08006')), true);
  assert.equal(isLostConnection(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')), true);
  assert.equal(isLostConnection(new Error('Connection terminated unexpectedly')), true);
  assert.equal(isLostConnection(withCode('duplicate key value violates unique constraint', '23505')), false);
  assert.equal(isLostConnection(withCode('syntax error at or near "limit"', '42601')), false);
  assert.equal(isLostConnection('Connection terminated'), false);
});

test('work is run again only while the connection keeps getting lost, and at most `attempts` times', async () => {
  let runs = 0;
  const value = await retryOnLostConnection(
    async () => {
      runs += 1;
      if (runs < 3) throw new Error('Connection terminated unexpectedly');
      return 'done';
    },
    { firstDelayMs: 1 },
  );
  assert.deepEqual([value, runs], ['done', 3]);

  runs = 0;
  await assert.rejects(
    retryOnLostConnection(
      async () => {
        runs += 1;
        throw withCode('duplicate key', '23505');
      },
      { firstDelayMs: 1 },
    ),
    /duplicate key/,
  );
  assert.equal(runs, 1, 'a failing statement is not repeated');

  runs = 0;
  await assert.rejects(
    retryOnLostConnection(
      async () => {
        runs += 1;
        throw new Error('Connection terminated');
      },
      { attempts: 4, firstDelayMs: 1 },
    ),
    /Connection terminated/,
  );
  assert.equal(runs, 4);
});
