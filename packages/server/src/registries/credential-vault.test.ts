import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CredentialVault, VaultError, type VaultErrorCode } from './credential-vault.ts';

const secret = JSON.stringify({ kind: 'basic', username: 'robot$ci', password: 'p@ss wörd' });
const isVaultError =
  (code: VaultErrorCode) =>
  (error: unknown): boolean =>
    error instanceof VaultError && error.code === code;

/** Flips one bit in the decoded bytes of part `index` of a sealed envelope. */
function tamper(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('CredentialVault', () => {
  let directory = '';
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'drydock-vault-'));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });
  const newKey = (): string => randomBytes(32).toString('base64');

  it('opens what it sealed, under the same associated data', async () => {
    const vault = await CredentialVault.open({ key: newKey(), keyFile: join(directory, 'unused.key') });
    const sealed = vault.seal(secret, 'connection-1');
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/);
    assert.ok(!sealed.includes('robot'));
    assert.equal(vault.open(sealed, 'connection-1'), secret);
    assert.equal(vault.open(vault.seal('', 'connection-1'), 'connection-1'), '');
  });

  it('draws a different IV, so a different envelope, for every seal', async () => {
    const vault = await CredentialVault.open({ key: newKey(), keyFile: join(directory, 'unused.key') });
    const sealed = Array.from({ length: 20 }, () => vault.seal(secret, 'connection-1'));
    assert.equal(new Set(sealed.map((value) => value.split('.')[2])).size, sealed.length);
    assert.equal(new Set(sealed).size, sealed.length);
  });

  it('detects tampering with the IV, tag, ciphertext or associated data', async () => {
    const vault = await CredentialVault.open({ key: newKey(), keyFile: join(directory, 'unused.key') });
    const sealed = vault.seal(secret, 'connection-1');
    for (const index of [2, 3, 4]) {
      assert.throws(
        () => vault.open(tamper(sealed, index), 'connection-1'),
        isVaultError('corrupt'),
        `part ${index}`,
      );
    }
    assert.throws(() => vault.open(sealed, 'connection-2'), isVaultError('corrupt'));
    for (const malformed of [
      '',
      'v1',
      'v2' + sealed.slice(2),
      `${sealed}.extra`,
      sealed.replace(/\.[^.]+$/, '.!!'),
      'v1.a.b.c.d',
    ]) {
      assert.throws(() => vault.open(malformed, 'connection-1'), isVaultError('corrupt'), malformed);
    }
  });

  it('reports a value sealed under another key as wrong_key, without leaking the plaintext', async () => {
    const first = await CredentialVault.open({ key: newKey(), keyFile: join(directory, 'unused.key') });
    const second = await CredentialVault.open({ key: newKey(), keyFile: join(directory, 'unused.key') });
    assert.throws(
      () => second.open(first.seal(secret, 'connection-1'), 'connection-1'),
      (error: unknown) =>
        isVaultError('wrong_key')(error) && error instanceof Error && !error.message.includes('p@ss'),
    );
  });

  it('creates a missing key file with mode 0600 and reuses it on the next start', async () => {
    const keyFile = join(directory, 'nested', 'secret.key');
    const vault = await CredentialVault.open({ keyFile });
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    assert.equal(Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64').length, 32);
    const sealed = vault.seal(secret, 'connection-1');
    const reopened = await CredentialVault.open({ keyFile });
    assert.equal(reopened.open(sealed, 'connection-1'), secret);
  });

  it('lets concurrent first starts agree on one key', async () => {
    const keyFile = join(directory, 'concurrent.key');
    const vaults = await Promise.all(Array.from({ length: 8 }, () => CredentialVault.open({ keyFile })));
    const sealed = vaults[0]?.seal(secret, 'connection-1') ?? '';
    for (const vault of vaults) assert.equal(vault.open(sealed, 'connection-1'), secret);
  });

  it('prefers the key setting over the key file', async () => {
    const key = newKey();
    const keyFile = join(directory, 'ignored.key');
    const fromSetting = await CredentialVault.open({ key, keyFile });
    await assert.rejects(stat(keyFile));
    const again = await CredentialVault.open({ key: ` ${key}\n`, keyFile });
    assert.equal(again.open(fromSetting.seal(secret, 'a'), 'a'), secret);
  });

  it('refuses a key file that group or others can read', async () => {
    const keyFile = join(directory, 'open.key');
    await writeFile(keyFile, newKey());
    await chmod(keyFile, 0o644);
    await assert.rejects(CredentialVault.open({ keyFile }), isVaultError('insecure_key_file'));
    await chmod(keyFile, 0o600);
    await CredentialVault.open({ keyFile });
  });

  it('refuses a key that is not 32 bytes of base64, without echoing it', async () => {
    const keyFile = join(directory, 'unused.key');
    for (const key of [
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('base64'),
      'not base64 at all!',
      '',
    ]) {
      await assert.rejects(
        CredentialVault.open({ key, keyFile }),
        (error: unknown) =>
          isVaultError('invalid_key')(error) && (key === '' || !String(error).includes(key)),
      );
    }
    const shortFile = join(directory, 'short.key');
    await writeFile(shortFile, randomBytes(31).toString('base64'), { mode: 0o600 });
    await assert.rejects(CredentialVault.open({ keyFile: shortFile }), isVaultError('invalid_key'));
  });
});

it('bytes sealed at rest: round trip, bound to their associated data, tampering and a wrong key detected', async () => {
  const vault = await CredentialVault.open({
    key: randomBytes(32).toString('base64'),
    keyFile: '/nonexistent',
  });
  const other = await CredentialVault.open({
    key: randomBytes(32).toString('base64'),
    keyFile: '/nonexistent',
  });
  const plain = Buffer.from('root:$6$salt$hash:19000:0:99999:7:::\n');
  const sealed = vault.sealBytes(plain, 'layer-cache:k1');
  assert.equal(sealed.includes(plain), false);
  assert.deepEqual(vault.openBytes(sealed, 'layer-cache:k1'), plain);
  assert.throws(() => vault.openBytes(sealed, 'layer-cache:k2'), { code: 'corrupt' });
  const tampered = Buffer.from(sealed);
  tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
  assert.throws(() => vault.openBytes(tampered, 'layer-cache:k1'), { code: 'corrupt' });
  assert.throws(() => other.openBytes(sealed, 'layer-cache:k1'), { code: 'wrong_key' });
  assert.throws(() => vault.openBytes(sealed.subarray(0, 10), 'layer-cache:k1'), { code: 'corrupt' });
});
