import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCredentialFileName } from './credential-file-names.ts';

describe('isCredentialFileName', () => {
  it('names the credential stores of common tools, keys and key stores', () => {
    for (const path of [
      'root/.aws/credentials',
      'home/app/.aws/config',
      'root/.git-credentials',
      'app/.npmrc',
      'root/.pypirc',
      'root/.docker/config.json',
      'var/lib/postgresql/.pgpass',
      'root/.netrc',
      'root/.s3cfg',
      'etc/nginx/.htpasswd',
      'root/.kube/config',
      'root/.ssh/id_ed25519',
      'opt/app/keystore.jks',
      'etc/ssl/private/server.key',
      'opt/certs/client.P12',
    ])
      assert.ok(isCredentialFileName(path), path);
  });

  it('does not name data files, lookalikes or the public halves of keys', () => {
    for (const path of [
      'var/lib/mysql/ibdata1',
      'opt/app/credentials.db',
      'root/.aws/cli/cache/abc.json',
      'root/.ssh/id_ed25519.pub',
      'usr/share/doc/npmrc.md',
      'opt/app/data.json',
      'opt/.keyring/notes.txt',
    ])
      assert.ok(!isCredentialFileName(path), path);
  });
});
