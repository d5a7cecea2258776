import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { test } from 'node:test';
import {
  hashPassword,
  needsRehash,
  passwordSchema,
  unknownUserHash,
  verifyPassword,
} from './password-hash.ts';

test('a hash verifies its password and nothing else, and carries its parameters', async () => {
  const hash = await hashPassword('correct horse battery');
  assert.match(hash, /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
  assert.equal(hash.includes('correct horse'), false);
  assert.equal(await verifyPassword('correct horse battery', hash), true);
  assert.equal(await verifyPassword('correct horse batterY', hash), false);
  assert.equal(await verifyPassword('', hash), false);
  assert.equal(needsRehash(hash), false);
});

test('every hash has its own salt', async () => {
  const [first, second] = await Promise.all([hashPassword('same password!'), hashPassword('same password!')]);
  assert.notEqual(first, second);
});

test('hashes with other parameters still verify and ask to be replaced', async () => {
  // A hash made with cheaper parameters, as an older version would have stored it.
  const salt = randomBytes(16);
  const key = scryptSync('older password', salt, 32, { N: 2 ** 10, r: 8, p: 1 });
  const older = `$scrypt$ln=10,r=8,p=1$${salt.toString('base64url')}$${key.toString('base64url')}`;
  assert.equal(await verifyPassword('older password', older), true);
  assert.equal(await verifyPassword('other password', older), false);
  assert.equal(needsRehash(older), true);
  // The parameters are read from the text: the same key read as another N is another hash.
  assert.equal(await verifyPassword('older password', older.replace('ln=10', 'ln=11')), false);
});

test('corrupt hashes and the unknown-user hash verify nothing', async () => {
  assert.equal(await verifyPassword('anything at all', 'plain text'), false);
  assert.equal(await verifyPassword('anything at all', '$scrypt$ln=99,r=8,p=1$AA$AA'), false);
  assert.equal(needsRehash('plain text'), true);
  assert.equal(await verifyPassword('', unknownUserHash), false);
  assert.equal(await verifyPassword('a long guess at it', unknownUserHash), false);
});

test('passwords need 12 characters', () => {
  assert.equal(passwordSchema.safeParse('elevenchars').success, false);
  assert.equal(passwordSchema.safeParse('twelve chars').success, true);
});
