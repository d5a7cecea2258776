import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretConfigError } from './config-error.ts';
import { ruleVectors } from './rule-vectors.ts';
import { SecretScanner } from './scanner.ts';

/** Every vector file, positive and negative, plus a binary and an allowed path: a mixed batch. */
const files = [
  ...Object.values(ruleVectors).flatMap((vector) => [
    { path: vector.positive.path, content: Buffer.from(vector.positive.text) },
    { path: vector.negative.path, content: Buffer.from(vector.negative.text) },
  ]),
  { path: 'usr/bin/tool', content: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]) },
  { path: 'usr/share/doc/x/README', content: Buffer.from('password = Wq8zLp2Rt5vY\n') },
];

describe('SecretScanner', () => {
  it('gives the same results in a worker pool as inline, in the order of the files', async () => {
    const config = { disabledRules: ['jwt'], allowValues: ['^AKIA'] };
    const inline = new SecretScanner({ config, threads: 0 });
    const pooled = new SecretScanner({ config, threads: 2 });
    try {
      const expected = await inline.scanFiles(files);
      assert.ok(expected.filter((result) => result.matches.length > 0).length > 150);
      assert.ok(expected.every((result) => result.matches.every((match) => match.ruleId !== 'jwt')));
      assert.deepEqual(await pooled.scanFiles(files), expected);
      const one = files[0];
      assert.ok(one);
      assert.deepEqual(await pooled.scan(one.path, one.content), expected[0]);
    } finally {
      await inline.close();
      await pooled.close();
    }
  });

  it('sends files handed over one at a time in the same turn to the workers together', async () => {
    const inline = new SecretScanner({ threads: 0 });
    const pooled = new SecretScanner({ threads: 1 });
    try {
      const expected = await inline.scanFiles(files);
      const oneByOne = await Promise.all(files.map((file) => pooled.scan(file.path, file.content)));
      assert.deepEqual(oneByOne, expected);
    } finally {
      await inline.close();
      await pooled.close();
    }
  });

  it('ends its threads on close and refuses work afterwards', async () => {
    const scanner = new SecretScanner({ threads: 1 });
    const first = files[0];
    assert.ok(first);
    await scanner.scan(first.path, first.content);
    assert.equal(scanner.runningThreads, 1);
    await scanner.close();
    assert.equal(scanner.runningThreads, 0);
    await assert.rejects(scanner.scan(first.path, first.content));
  });

  it('stops on an aborted signal', async () => {
    const scanner = new SecretScanner({ threads: 1 });
    try {
      await assert.rejects(scanner.scanFiles(files, AbortSignal.abort()), { name: 'AbortError' });
    } finally {
      await scanner.close();
    }
  });

  it('rejects a bad configuration before starting any thread', () => {
    assert.throws(
      () => new SecretScanner({ config: { allowPaths: ['('] }, threads: 1 }),
      (error: unknown) => isSecretConfigError(error),
    );
  });
});
