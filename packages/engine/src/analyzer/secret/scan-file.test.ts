import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { placeholderReason } from './placeholder.ts';
import { compileSecretRules } from './rule-set.ts';
import { fake } from './rule-vectors.ts';
import { scanFile } from './scan-file.ts';

const rules = compileSecretRules();
const ids = (path: string, text: string | Buffer, set = rules) =>
  scanFile(set, path, typeof text === 'string' ? Buffer.from(text) : text).matches.map(
    (match) => match.ruleId,
  );

describe('scanFile', () => {
  const token = `ghp_${fake('b62', 36)}`;

  it('skips files over the size cap, binary files and allowed paths, and says why', () => {
    const small = compileSecretRules({ maxFileBytes: 64 });
    assert.deepEqual(scanFile(small, 'app/.env', Buffer.from(`GITHUB_TOKEN=${token}\n${'#'.repeat(64)}`)), {
      path: 'app/.env',
      matches: [],
      skipped: 'too-large',
    });
    const binary = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from(`TOKEN=${token}`)]);
    assert.equal(scanFile(rules, 'usr/bin/tool', binary).skipped, 'binary');
    assert.deepEqual(scanFile(rules, 'usr/bin/tool', binary).matches, []);
    assert.equal(
      scanFile(rules, 'usr/share/doc/tool/README', Buffer.from(`TOKEN=${token}`)).skipped,
      'allowed-path',
    );
    assert.deepEqual(ids('usr/local/lib/node_modules/tool/test/fixtures.js', `const t = '${token}';`), []);
    assert.deepEqual(
      ids('app/node_modules/aws-sdk/apis/sso-oidc-2019-06-10.examples.json', `{"accessToken": "${token}"}`),
      [],
    );
    assert.deepEqual(ids('app/node_modules/@types/node/process.d.ts', ` *   "TOKEN": "${token}",`), []);
    assert.deepEqual(ids('app/node_modules/url/test.js', `const t = '${token}';`), []);
    assert.deepEqual(ids('app/node_modules/lib/parse.spec.ts', `const t = '${token}';`), []);
    assert.notDeepEqual(ids('app/node_modules/lib/contest.js', `const t = '${token}';`), []);
    assert.notDeepEqual(ids('app/src/types.d.ts', `const t = '${token}';`), []);
    assert.notDeepEqual(ids('app/config/examples.jsonc', `token = '${token}'`), []);
    assert.deepEqual(ids('app/src/client.js', `const t = '${token}';`), ['github-classic-pat']);
  });

  it('turns the default allowlist off on request and applies the project allowlist', () => {
    const noDefaults = compileSecretRules({ skipDefaultAllowlist: true });
    assert.deepEqual(ids('usr/share/doc/tool/README', `TOKEN=${token}`, noDefaults), ['github-classic-pat']);
    const project = compileSecretRules({ allowPaths: ['^app/seed/'], allowValues: ['^ghp_'] });
    assert.deepEqual(ids('app/seed/users.js', `const t = '${token}';`, project), []);
    assert.deepEqual(ids('app/src/client.js', `const t = '${token}';`, project), []);
    assert.deepEqual(ids('app/src/client.js', `const t = 'glpat-${fake('url64', 20)}';`, project), [
      'gitlab-personal-access-token',
    ]);
  });

  it('drops documented examples and placeholders', () => {
    assert.deepEqual(ids('app/.env', 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n'), []);
    for (const value of [
      '${DB_PASSWORD}',
      'changeme',
      '<your-password>',
      '%(password)s',
      '{{ .Values.password }}',
      'xxxxxxxx',
      'aaaaaaaaaa',
      '12345678',
      'abcdefghij',
      '$DB_PASSWORD',
      'challengePassword',
      'notasecret',
      '--with-passphrase',
      Buffer.from('username:password').toString('base64'),
      '2YotnFZFEjr1zCsicMWpAA',
    ])
      assert.ok(placeholderReason(value) !== undefined, value);
    for (const value of ['Wq8zLp2Rt5vY', '$apr1$Xk29sLq0$Wq8zLp2Rt5vYu', 'correct-horse-battery'])
      assert.equal(placeholderReason(value), undefined, value);
    assert.deepEqual(
      ids('app/config.yaml', 'db:\n  password: ${DB_PASSWORD}\n  password2: "{{ .Values.db.password }}"\n'),
      [],
    );
  });

  it('reports a real private key whose random body happens to spell a stand-in word', () => {
    // About one real key in a hundred holds `fake`, `your`, `xxxx` or the like somewhere in its base64.
    const lines = Array.from({ length: 20 }, () => fake('b64', 64));
    lines[7] = `${fake('b64', 30)}FakeYourXxxx${fake('b64', 22)}`;
    const key = `-----BEGIN RSA PRIVATE KEY-----\n${lines.join('\n')}\n-----END RSA PRIVATE KEY-----\n`;
    assert.deepEqual(
      scanFile(rules, 'root/.ssh/id_rsa', Buffer.from(key)).matches.map((match) => match.ruleId),
      ['rsa-private-key'],
    );
    const placeholder = '-----BEGIN RSA PRIVATE KEY-----\n<your key here>\n-----END RSA PRIVATE KEY-----\n';
    assert.deepEqual(scanFile(rules, 'etc/app/key.pem', Buffer.from(placeholder)).matches, []);
  });

  it('drops URLs of documentation hosts and identifiers under secret-like names', () => {
    assert.deepEqual(ids('app/src/u.rb', '# URI.parse("http://john:S3nsit1ve@my.example.com")\n'), []);
    assert.deepEqual(ids('app/src/u.rb', '# URI.parse("http://john:S3nsit1ve@my.internal.net")\n'), [
      'url-embedded-credentials',
    ]);
    assert.deepEqual(
      ids('app/paginators.json', '{ "input_token": "ExclusiveStartKeyForTheNextPage" }\n'),
      [],
    );
  });

  it('keeps the more specific of two rules on the same text', () => {
    const npm = `npm_${fake('b62', 36)}`;
    assert.deepEqual(ids('root/.npmrc', `//registry.npmjs.org/:_authToken=${npm}\n`), ['npmrc-auth-token']);
    assert.deepEqual(ids('app/.env', `NPM_TOKEN=${npm}\n`), ['npm-access-token']);
  });

  it('reports lines and columns of several secrets and masks all of them in each excerpt', () => {
    const key = `AKIA${fake('b32', 16)}`;
    const secret = fake('b64', 40);
    const text = `# aws\n\n[default]\naws_access_key_id=${key} aws_secret_access_key=${secret}\n`;
    const result = scanFile(rules, 'root/.aws/credentials', Buffer.from(text));
    assert.deepEqual(
      result.matches.map((match) => [match.ruleId, match.line, match.column]),
      [
        ['aws-access-key-id', 4, 19],
        ['aws-secret-access-key', 4, 62],
      ],
    );
    const serialised = JSON.stringify(result);
    assert.ok(!serialised.includes(key) && !serialised.includes(secret));
  });

  it('finds a token in the middle of a megabyte-long minified line', () => {
    const line = `${'var a=1;'.repeat(65536)}var cfg={api_key:"${token}"};${'var b=2;'.repeat(65536)}`;
    const result = scanFile(rules, 'app/dist/bundle.min.js', Buffer.from(line));
    assert.deepEqual(
      result.matches.map((match) => [match.ruleId, match.line, match.column]),
      [['github-classic-pat', 1, 65536 * 8 + 18 + 1]],
    );
  });

  it('runs a custom rule and leaves disabled built-in rules silent', () => {
    const custom = compileSecretRules({
      customRules: [
        {
          id: 'acme-api-key',
          title: 'ACME API key',
          severity: 'high',
          keywords: ['acme_'],
          pattern: 'acme_(?<secret>[a-z0-9]{24})',
          entropy: 3,
        },
      ],
      disabledRules: ['github-classic-pat'],
    });
    const acme = fake('lower', 24);
    assert.deepEqual(ids('app/.env', `KEY=acme_${acme}\nGH=${token}\n`, custom), ['acme-api-key']);
    assert.deepEqual(ids('app/.env', `KEY=acme_${acme}\nGH=${token}\n`), ['github-classic-pat']);
  });
});

describe('binary credential files', () => {
  let directory = '';
  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'drydock-secret-keystores-'));
    const run = (command: string, args: string[]) =>
      execFileSync(command, args, { cwd: directory, stdio: 'pipe' });
    run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-days',
      '1',
      '-subj',
      '/CN=drydock-test',
    ]);
    run('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      'key.pem',
      '-in',
      'cert.pem',
      '-out',
      'bundle.p12',
      '-passout',
      'pass:drydock',
    ]);
    const keytool = (args: string[]) => run('keytool', [...args, '-storepass', 'drydock', '-noprompt']);
    keytool([
      '-genkeypair',
      '-alias',
      'app',
      '-keyalg',
      'RSA',
      '-keysize',
      '2048',
      '-dname',
      'CN=drydock-test',
      '-keystore',
      'app.jks',
      '-storetype',
      'JKS',
      '-keypass',
      'drydock',
    ]);
    keytool([
      '-importcert',
      '-alias',
      'ca',
      '-file',
      'cert.pem',
      '-keystore',
      'trust.jks',
      '-storetype',
      'JKS',
    ]);
    keytool([
      '-genseckey',
      '-alias',
      'aes',
      '-keyalg',
      'AES',
      '-keysize',
      '128',
      '-keystore',
      'secret.jceks',
      '-storetype',
      'JCEKS',
      '-keypass',
      'drydock',
    ]);
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  const read = (name: string) => readFileSync(join(directory, name));

  it('finds a PKCS#12 bundle, JKS and JCEKS key stores by name and magic', () => {
    const p12 = scanFile(rules, 'app/certs/bundle.p12', read('bundle.p12'));
    assert.deepEqual(
      p12.matches.map((match) => match.ruleId),
      ['pkcs12-file'],
    );
    assert.match(p12.matches[0]?.fingerprint ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(ids('app/conf/app.jks', read('app.jks')), ['java-keystore-file']);
    assert.deepEqual(ids('app/conf/secret.jceks', read('secret.jceks')), ['java-keystore-file']);
    assert.deepEqual(ids('app/conf/server.keystore', read('bundle.p12')), ['java-keystore-file']);
  });

  it('does not report a truststore of certificates, nor a file that only has the name', () => {
    assert.deepEqual(ids('app/conf/trust.jks', read('trust.jks')), []);
    assert.deepEqual(ids('app/certs/readme.p12', 'not a key store\n'), []);
    assert.deepEqual(ids('app/certs/cert.pfx', read('cert.pem')), []);
  });

  it('finds the private key that openssl wrote', () => {
    assert.deepEqual(ids('etc/ssl/private/key.pem', read('key.pem')), ['pkcs8-private-key']);
  });
});
