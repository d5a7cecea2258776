import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskPassword } from './mask-password.ts';

describe('maskPassword', () => {
  it('shows the first character and a star for each other one', () => {
    assert.equal(maskPassword('abc123'), 'a*****');
    assert.equal(maskPassword('pässwörd'), 'p*******');
    assert.equal(maskPassword('😀ab'), '😀**');
  });

  it('hides a one-character password entirely', () => {
    assert.equal(maskPassword('x'), '*');
  });
});
