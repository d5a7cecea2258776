import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultAllowedPaths, defaultPathAllowance, type AllowedPath } from './path-allowlist.ts';

/** What the list answers without its `needs` shortcut: the patterns alone. */
function byPatternsAlone(path: string): AllowedPath | undefined {
  return defaultAllowedPaths.find((entry) => entry.pattern.test(path));
}

const allowed = [
  'usr/share/doc/openssl/HOWTO/keys.txt',
  'usr/share/man/man1/ssh-keygen.1.gz',
  'usr/include/openssl/pem.h',
  'usr/local/include/libpq-fe.h',
  'usr/lib/python3.11/test/keycert.pem',
  'usr/lib/python3.11/idlelib/idle_test/test_config.py',
  'usr/lib/x86_64-linux-gnu/perl5/5.36/Net/SSLeay/__tests__/key.pem',
  'usr/lib/jvm/java-17/lib/testing/keystore.jks',
  'usr/local/lib/app/vendor/lib/__fixtures__/id_rsa',
  'usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO',
  'usr/local/lib/python3.12/site-packages/boto3-1.34.0.dist-info/METADATA',
  'opt/venv/lib/python3.12/site-packages/paramiko/tests/test_rsa.key',
  'usr/local/lib/python3.12/site-packages/jwt/README.RST',
  'app/node_modules/jsonwebtoken/test/priv.pem',
  'usr/lib/node_modules/npm/node_modules/foo/docs/config.js',
  'app/node_modules/aws-sdk/examples/s3.js',
  'app/node_modules/pg/benchmarks/connect.js',
  'app/node_modules/express/Readme.MD',
  'app/node_modules/@types/node/tls.d.ts',
  'app/node_modules/ioredis/built/cluster.d.mts',
  'app/node_modules/dotenv/lib/main.test.js',
  'app/node_modules/jose/dist/sign-spec.ts',
  'app/node_modules/aws-sdk/apis/sts-2011-06-15.examples.json',
  'app/node_modules/mongodb/lib/connection_string.js.map',
  'app/node_modules/@scope/pkg/dist/index.d.ts.map',
  'app/node_modules/bootstrap/dist/css/bootstrap.css.map',
  'app/node_modules/typescript-lib/tsconfig.tsbuildinfo',
  'go/src/app/vendor/golang.org/x/crypto/ssh/testdata/keys.go',
  'var/www/vendor/guzzle/guzzle/CHANGELOG.md',
  'root/go/pkg/mod/golang.org/x/crypto@v0.21.0/ssh/testdata/keys.go',
  'root/go/pkg/mod/github.com/lib/pq@v1.10.9/conn_test.go',
  'usr/local/go/src/crypto/tls/handshake_server_test.go',
  'usr/share/go-1.19/src/crypto/x509/testdata/test.pem',
  'usr/share/cmake-3.25/Templates/Windows/Windows_TemporaryKey.pfx',
  'var/lib/gems/3.1.0/gems/net-ssh-7.0.1/test/rsa.key',
  'root/.cargo/registry/src/index-1cd66030c949c28d/rustls-0.21.0/tests/data/key.pem',
  'usr/share/perl5/Net/SSLeay/t/local/key.pem',
  'usr/share/perl/5.36/Net/tests/cert.pem',
  'srv/app/test/fixtures/id_rsa',
  'srv/app/spec/data/credentials.yml',
  'srv/app/__fixtures__/token.json',
];

const notAllowed = [
  'etc/ssl/private/ssl-cert-snakeoil.key',
  'root/.aws/credentials',
  'app/.env',
  'app/node_modules/https-pem/key.pem',
  'app/node_modules/debug/.coveralls.yml',
  'app/node_modules/express/lib/router/index.js',
  'app/node_modules/geo/world.map',
  'app/src/main.js.map',
  'app/NODE_MODULES/pkg/README.md',
  'app/latest/config.yml',
  'usr/share/perlish/t/key.pem',
  'usr/lib/app/contest/key.pem',
  'srv/test-data/key.pem',
  'opt/site-packages.txt',
  'usr/local/bin/go',
];

describe('default path allowlist', () => {
  it('allows the system, vendor, test and generated files it names', () => {
    for (const path of allowed) assert.ok(defaultPathAllowance(path), `${path} should be allowed`);
  });

  it("keeps an image's own files, and the credentials an npm package ships as its product", () => {
    for (const path of notAllowed) assert.equal(defaultPathAllowance(path), undefined, path);
  });

  it('answers as its patterns alone do: the substring shortcut never drops a match', () => {
    for (const path of [...allowed, ...notAllowed])
      assert.equal(defaultPathAllowance(path), byPatternsAlone(path), path);
    // Every entry answers for at least one of the allowed paths, so each entry's shortcut is tried
    // on paths its pattern accepts.
    const answering = new Set(allowed.map((path) => defaultPathAllowance(path)));
    for (const entry of defaultAllowedPaths)
      assert.ok(answering.has(entry), `no example for ${entry.pattern}`);
  });

  it('asks folder entries about the folder alone, and answers the same in any order of paths', () => {
    const paths = [...allowed, ...notAllowed];
    for (const path of paths) {
      const folder = path.slice(0, path.lastIndexOf('/') + 1);
      for (const entry of defaultAllowedPaths.filter((candidate) => candidate.folder))
        assert.equal(entry.pattern.test(folder), entry.pattern.test(path), `${entry.pattern} on ${path}`);
    }
    // Files of one folder in a row (the remembered folder answers), then interleaved with others.
    const sameFolder = ['app/node_modules/x/test/', 'usr/share/doc/pkg/'].flatMap((folder) =>
      ['a.js', 'b.js.map', 'README.md', 'index.d.ts', 'key.pem'].map((name) => folder + name),
    );
    for (const path of [...sameFolder, ...sameFolder.reverse(), ...paths, ...paths.reverse()])
      assert.equal(defaultPathAllowance(path), byPatternsAlone(path), path);
  });
});
