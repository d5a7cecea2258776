import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSecretRules } from '../../analyzer/secret/rule-set.ts';
import { historySteps } from './history-instruction.ts';
import { runSteps } from './history-run-steps.ts';
import { updateWithoutInstallCheck } from './history-update-without-install.ts';

const rules = compileSecretRules();
const runs = (...createdBy: string[]) =>
  runSteps(historySteps(createdBy.map((text) => ({ createdBy: text, emptyLayer: false }))));

describe('updateWithoutInstallCheck (CIS 4.7)', () => {
  it('passes when every update is followed by an install in the same RUN', () => {
    const result = updateWithoutInstallCheck(
      runs(
        '/bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*',
        'RUN /bin/sh -c apk update && apk add curl # buildkit',
        'RUN /bin/sh -c dnf makecache && dnf install -y tar && dnf clean all # buildkit',
        '/bin/sh -c apt-get update && apt-get -y upgrade',
        'RUN /bin/sh -c npm ci # buildkit',
      ),
      rules,
    );
    assert.equal(result.result, 'pass');
    assert.deepEqual(result.evidence, []);
  });

  it('fails on each RUN that only updates, whatever the package manager', () => {
    const result = updateWithoutInstallCheck(
      runs(
        '/bin/sh -c apt-get update',
        '/bin/sh -c apt-get install -y curl',
        'RUN /bin/sh -c apk update # buildkit',
        'RUN /bin/sh -c yum makecache fast # buildkit',
        'RUN |1 HTTP_PROXY=http://proxy:3128 /bin/sh -c sudo apt update && echo ok # buildkit',
        'RUN /bin/sh -c zypper --non-interactive refresh # buildkit',
      ),
      rules,
    );
    assert.equal(result.result, 'fail');
    assert.equal(result.severity, 'medium');
    assert.deepEqual(result.evidence, [
      { location: 'config:history/0', detail: '/bin/sh -c apt-get update' },
      { location: 'config:history/2', detail: 'RUN /bin/sh -c apk update # buildkit' },
      { location: 'config:history/3', detail: 'RUN /bin/sh -c yum makecache fast # buildkit' },
      {
        location: 'config:history/4',
        detail: 'RUN |1 HTTP_PROXY=http://proxy:3128 /bin/sh -c sudo apt update && echo ok # buildkit',
      },
      { location: 'config:history/5', detail: 'RUN /bin/sh -c zypper --non-interactive refresh # buildkit' },
    ]);
    assert.equal(
      result.current,
      'update without install in config:history/0, config:history/2, config:history/3, config:history/4, config:history/5',
    );
  });

  it('ignores the words update and install where no package manager runs them', () => {
    const result = updateWithoutInstallCheck(
      runs('/bin/sh -c echo "apt-get update" > /notes && git submodule update'),
      rules,
    );
    assert.equal(result.result, 'pass');
  });
});
