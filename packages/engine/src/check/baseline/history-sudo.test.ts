import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSecretRules } from '../../analyzer/secret/rule-set.ts';
import { historySteps } from './history-instruction.ts';
import { runSteps } from './history-run-steps.ts';
import { sudoCheck } from './history-sudo.ts';

const rules = compileSecretRules();
const runs = (...createdBy: string[]) =>
  runSteps(historySteps(createdBy.map((text) => ({ createdBy: text, emptyLayer: false }))));

describe('sudoCheck', () => {
  it('fails where a RUN runs a command through sudo', () => {
    const result = sudoCheck(
      runs(
        '/bin/sh -c apt-get update && apt-get install -y sudo && rm -rf /var/lib/apt/lists/*',
        'RUN /bin/sh -c sudo -u postgres createdb app # buildkit',
        'RUN /bin/sh -c set -e; if [ -n "$X" ]; then sudo make install; fi # buildkit',
      ),
      rules,
    );
    assert.equal(result.result, 'fail');
    assert.deepEqual(
      result.evidence.map((item) => item.location),
      ['config:history/1', 'config:history/2'],
    );
    assert.equal(result.current, 'sudo in config:history/1, config:history/2');
  });

  it('passes when sudo is only installed or mentioned', () => {
    const result = sudoCheck(
      runs(
        '/bin/sh -c apt-get install -y sudo',
        "/bin/sh -c echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app",
      ),
      rules,
    );
    assert.equal(result.result, 'pass');
  });
});
