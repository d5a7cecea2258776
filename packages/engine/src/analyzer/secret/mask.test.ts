import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskedExcerpt, maskSecret, secretFingerprint, visiblePrefixLength } from './mask.ts';

describe('maskSecret', () => {
  it('keeps at most 4 characters and at most a quarter, none for short secrets', () => {
    assert.equal(maskSecret('hunter22'), 'hu******');
    assert.equal(maskSecret('abc1234'), '*******');
    assert.equal(maskSecret('ghp_aZ3kQ9mW2xR7tY5uP1oL8nB4vC6jH0gF2dS9'), `ghp_${'*'.repeat(32)}`);
    for (let length = 1; length <= 80; length++) {
      const shown = visiblePrefixLength(length);
      assert.ok(shown <= 4 && shown <= length / 4, `length ${length}`);
      const secret = 'q'.repeat(length);
      assert.ok(!maskSecret(secret.replace(/q/g, 'Z')).includes('Z'.repeat(shown + 1)));
    }
  });

  it('caps the stars so a long key body does not print its length', () => {
    assert.equal(maskSecret('x'.repeat(3000)).length, 4 + 32);
  });
});

describe('maskedExcerpt', () => {
  it('masks every secret on the line and repeats of it, and cuts long lines around the secret', () => {
    const secret = 'Wq8zLp2Rt5vY';
    const other = 'Kd93Jf83Hs02';
    const text = `first\nA=${secret} B=${other} # was ${secret}\nlast`;
    const at = text.indexOf(secret);
    const excerpt = maskedExcerpt(text, at, [
      [at, at + secret.length],
      [text.indexOf(other), text.indexOf(other) + other.length],
    ]);
    assert.equal(excerpt, 'A=Wq8********* B=Kd9********* # was Wq8*********');
    const long = `${'a'.repeat(500)} TOKEN=${secret} ${'b'.repeat(500)}`;
    const start = long.indexOf(secret);
    const cut = maskedExcerpt(long, start, [[start, start + secret.length]]);
    assert.ok(cut.length <= 122 && cut.startsWith('…') && cut.endsWith('…'));
    assert.ok(cut.includes('TOKEN=Wq8*********'));
  });

  it('decodes UTF-8 around the secret', () => {
    const text = Buffer.from('mot de passe «clé» = Wq8zLp2Rt5vY', 'utf8').toString('latin1');
    const at = text.indexOf('Wq8z');
    assert.equal(maskedExcerpt(text, at, [[at, at + 12]]), 'mot de passe «clé» = Wq8*********');
  });
});

describe('secretFingerprint', () => {
  it('is stable, hex, and differs by rule, path and secret', () => {
    const base = secretFingerprint('rule-a', 'etc/app.conf', 'Wq8zLp2Rt5vY');
    assert.match(base, /^[0-9a-f]{64}$/);
    assert.equal(secretFingerprint('rule-a', 'etc/app.conf', 'Wq8zLp2Rt5vY'), base);
    assert.notEqual(secretFingerprint('rule-b', 'etc/app.conf', 'Wq8zLp2Rt5vY'), base);
    assert.notEqual(secretFingerprint('rule-a', 'etc/app2.conf', 'Wq8zLp2Rt5vY'), base);
    assert.notEqual(secretFingerprint('rule-a', 'etc/app.conf', 'Wq8zLp2Rt5vZ'), base);
  });
});
