import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSecretRules } from '../../analyzer/secret/rule-set.ts';
import { fake } from '../../analyzer/secret/rule-vectors.ts';
import { historySteps } from './history-instruction.ts';
import { runSteps } from './history-run-steps.ts';
import { environmentBypass, runBypasses, tlsVerificationCheck } from './history-tls-verification.ts';

const rules = compileSecretRules();
const runs = (...createdBy: string[]) =>
  runSteps(historySteps(createdBy.map((text) => ({ createdBy: text, emptyLayer: false }))));
const bypasses = (createdBy: string) => runBypasses(runs(createdBy)[0]!);

describe('runBypasses', () => {
  it('finds curl -k alone, in a cluster and as --insecure, but not as an option value', () => {
    assert.deepEqual(bypasses('/bin/sh -c curl -k https://x.example/a -o /a'), ['curl --insecure']);
    assert.deepEqual(bypasses('/bin/sh -c curl -fsSLk https://x.example/a'), ['curl --insecure']);
    assert.deepEqual(bypasses('/bin/sh -c /usr/bin/curl --insecure -O https://x.example/a'), [
      'curl --insecure',
    ]);
    assert.deepEqual(bypasses('/bin/sh -c curl -fsSLo k https://x.example/a'), []);
    assert.deepEqual(bypasses('/bin/sh -c curl -fsSL -H "X-Flag: -k" https://x.example/a'), []);
  });

  it('finds the other tools and package managers switching verification off', () => {
    assert.deepEqual(bypasses('/bin/sh -c wget --no-check-certificate -qO /a https://x.example/a'), [
      'wget --no-check-certificate',
    ]);
    assert.deepEqual(
      bypasses('/bin/sh -c pip install --trusted-host pypi.internal.example -r requirements.txt'),
      ['pip --trusted-host'],
    );
    assert.deepEqual(bypasses('/bin/sh -c python3 -m pip config set global.trusted-host pypi.internal'), [
      'pip --trusted-host',
    ]);
    assert.deepEqual(bypasses('RUN /bin/sh -c npm config set strict-ssl false && npm ci # buildkit'), [
      'npm strict-ssl false',
    ]);
    assert.deepEqual(bypasses('/bin/sh -c yarn config set strict-ssl false'), ['yarn strict-ssl false']);
    assert.deepEqual(bypasses('/bin/sh -c git -c http.sslVerify=false clone https://git.internal/app.git'), [
      'git http.sslVerify false',
    ]);
    assert.deepEqual(bypasses('/bin/sh -c git config --global http.sslverify false'), [
      'git http.sslVerify false',
    ]);
    assert.deepEqual(bypasses('/bin/sh -c GIT_SSL_NO_VERIFY=1 git clone https://git.internal/app.git'), [
      'GIT_SSL_NO_VERIFY set',
    ]);
    assert.deepEqual(bypasses('/bin/sh -c export NODE_TLS_REJECT_UNAUTHORIZED=0 && node fetch.js'), [
      'NODE_TLS_REJECT_UNAUTHORIZED=0',
    ]);
    assert.deepEqual(bypasses('|1 GIT_SSL_NO_VERIFY=true /bin/sh -c git clone https://git.internal/x.git'), [
      'GIT_SSL_NO_VERIFY set',
    ]);
    assert.deepEqual(bypasses('/bin/sh -c apk add --allow-untrusted /tmp/pkg.apk'), [
      'apk --allow-untrusted',
    ]);
    assert.deepEqual(bypasses('/bin/sh -c apt-get install -y --allow-unauthenticated foo'), [
      'apt --allow-unauthenticated',
    ]);
    assert.deepEqual(bypasses('/bin/sh -c dnf install -y --nogpgcheck /tmp/x.rpm'), ['dnf --nogpgcheck']);
    assert.deepEqual(
      bypasses(
        '/bin/sh -c echo "deb [trusted=yes] http://repo.internal/ stable main" > /etc/apt/sources.list.d/internal.list',
      ),
      ['apt source marked trusted=yes'],
    );
    assert.deepEqual(
      bypasses(`/bin/sh -c echo 'Acquire::https::Verify-Peer "false";' > /etc/apt/apt.conf.d/99insecure`),
      ['apt Verify-Peer false'],
    );
    assert.deepEqual(bypasses('/bin/sh -c echo insecure >> ~/.curlrc'), ['curl insecure in .curlrc']);
  });

  it('finds nothing in careful commands', () => {
    assert.deepEqual(
      bypasses(
        '/bin/sh -c curl -fsSL --cacert /etc/ssl/internal.pem https://x.example/a | tar -xz && pip install --no-cache-dir -r requirements.txt && git config --global http.sslVerify true',
      ),
      [],
    );
    assert.deepEqual(bypasses('/bin/sh -c NODE_TLS_REJECT_UNAUTHORIZED=1 node x.js'), []);
  });
});

describe('environmentBypass', () => {
  it('reads the variables that switch verification off', () => {
    assert.equal(environmentBypass('GIT_SSL_NO_VERIFY='), 'GIT_SSL_NO_VERIFY set');
    assert.equal(environmentBypass('PYTHONHTTPSVERIFY=0'), 'PYTHONHTTPSVERIFY=0');
    assert.equal(environmentBypass('npm_config_strict_ssl=false'), 'npm strict-ssl off');
    assert.equal(environmentBypass('PYTHONHTTPSVERIFY=1'), undefined);
    assert.equal(environmentBypass('PATH=/usr/bin'), undefined);
  });
});

describe('tlsVerificationCheck', () => {
  it('fails on RUN steps and ENV entries, masking secrets in the evidence', () => {
    const token = fake('url64', 40);
    const result = tlsVerificationCheck(
      runs(
        '/bin/sh -c apt-get update && apt-get install -y curl',
        `/bin/sh -c curl -k -H "Authorization: Bearer ${token}" https://artifacts.internal/app.tar.gz | tar -xz`,
      ),
      ['PATH=/usr/bin:/bin', 'NODE_TLS_REJECT_UNAUTHORIZED=0'],
      rules,
    );
    assert.equal(result.result, 'fail');
    assert.equal(result.severity, 'high');
    assert.deepEqual(
      result.evidence.map((item) => item.location),
      ['config:history/1', 'config:env/NODE_TLS_REJECT_UNAUTHORIZED'],
    );
    assert.equal(result.evidence[1]?.detail, 'NODE_TLS_REJECT_UNAUTHORIZED=0');
    assert.ok(!JSON.stringify(result).includes(token));
    assert.equal(
      result.current,
      'curl --insecure in config:history/1; NODE_TLS_REJECT_UNAUTHORIZED=0 in config:env/NODE_TLS_REJECT_UNAUTHORIZED',
    );
  });

  it('passes when nothing switches verification off', () => {
    const result = tlsVerificationCheck(
      runs('/bin/sh -c curl -fsSL https://x.example/a -o /a'),
      ['PATH=/usr/bin'],
      rules,
    );
    assert.equal(result.result, 'pass');
    assert.deepEqual(result.evidence, []);
  });
});
