import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSecretRules } from '../../analyzer/secret/rule-set.ts';
import { historySteps } from './history-instruction.ts';
import { remoteScriptCheck, runsRemoteScript } from './history-remote-script.ts';
import { runSteps } from './history-run-steps.ts';

const rules = compileSecretRules();
const runs = (...createdBy: string[]) =>
  runSteps(historySteps(createdBy.map((text) => ({ createdBy: text, emptyLayer: false }))));
const risky = (script: string) => runsRemoteScript(runs(`RUN /bin/sh -c ${script} # buildkit`)[0]!);

describe('runsRemoteScript', () => {
  it('finds downloads piped into a shell or interpreter', () => {
    assert.equal(risky('curl -fsSL https://deb.nodesource.com/setup_20.x | bash -'), true);
    assert.equal(risky('curl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash -'), true);
    assert.equal(risky('wget -qO- https://get.example.sh | sh'), true);
    assert.equal(
      risky('set -eux; wget -O - https://x.example/i.sh | tee /tmp/log | /bin/sh -s -- --yes'),
      true,
    );
    assert.equal(risky('curl -sSL https://bootstrap.pypa.io/get-pip.py | python3 -'), true);
  });

  it('finds downloads run through command or process substitution', () => {
    assert.equal(
      risky(
        'sh -c "$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)"',
      ),
      true,
    );
    assert.equal(risky('bash <(wget -qO- https://x.example/i.sh)'), true);
    assert.equal(risky('eval "$(curl -fsSL https://x.example/env)"'), true);
  });

  it('accepts downloads saved, checked and unpacked', () => {
    assert.equal(
      risky(
        'curl -fsSLo /tmp/i.sh https://x.example/i.sh && echo "abc  /tmp/i.sh" | sha256sum -c - && sh /tmp/i.sh',
      ),
      false,
    );
    assert.equal(
      risky('curl -fsSL https://go.dev/dl/go1.22.1.linux-amd64.tar.gz | tar -C /usr/local -xz'),
      false,
    );
    assert.equal(risky('VERSION=$(curl -fsS https://x.example/latest) && echo $VERSION | sh -c cat'), false);
    assert.equal(risky('echo hello | bash'), false);
  });
});

describe('remoteScriptCheck', () => {
  it('fails with the offending instructions and passes without them', () => {
    const result = remoteScriptCheck(
      runs(
        '/bin/sh -c apt-get update && apt-get install -y curl',
        '/bin/sh -c curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs',
      ),
      rules,
    );
    assert.equal(result.result, 'fail');
    assert.equal(result.severity, 'high');
    assert.deepEqual(result.evidence, [
      {
        location: 'config:history/1',
        detail:
          '/bin/sh -c curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs',
      },
    ]);
    assert.equal(remoteScriptCheck(runs('/bin/sh -c make install'), rules).result, 'pass');
  });
});
