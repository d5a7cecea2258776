/**
 * PAM line tokens. Found by the fuzzer (test/fuzz/system-files.test.ts, FUZZ_SEED=2165718500): a
 * 549 KB common-password of `passwo\uFFFDd [success=` repeated on one line kept the baseline checks
 * busy for over 30 s, since every unclosed `[` searched to the end of the line for its `]`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePam } from './password-policy-pam.ts';

describe('parsePam tokens', () => {
  it('reads bracketed controls with spaces and escapes as one word, and an unclosed [ as a plain word', () => {
    const [line] = parsePam(
      'password [success=1 default=ignore] pam_unix.so obscure [a\\]b c] [open x=1\n',
      'p',
    );
    assert.equal(line?.control, '[success=1 default=ignore]');
    assert.equal(line?.module, 'pam_unix.so');
    assert.deepEqual(line?.args, [
      ['obscure', undefined],
      ['a\\]b c', undefined],
      ['[open', undefined],
      ['x', '1'],
    ]);
  });

  it('splits a line of many unclosed [ without a hang', () => {
    const text = `password ${'passwo\uFFFDd [success='.repeat(30_000)}\n`;
    const started = performance.now();
    const [line] = parsePam(text, 'etc/pam.d/common-password');
    // A hang check, not a timing assertion: this takes milliseconds, and took over 30 s.
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 10_000, `splitting took ${Math.round(elapsed)} ms`);
    assert.equal(line?.control, 'passwo\uFFFDd');
    assert.equal(line?.args.length, 29_999);
  });
});
