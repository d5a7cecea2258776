import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSecretRules } from '../../analyzer/secret/rule-set.ts';
import { fake } from '../../analyzer/secret/rule-vectors.ts';
import { historyEvidence, maxDetailLength, truncateDetail } from './history-evidence.ts';
import { historySteps } from './history-instruction.ts';

const rules = compileSecretRules();

describe('truncateDetail', () => {
  it('keeps short text, joins lines and cuts long text with an ellipsis', () => {
    assert.equal(
      truncateDetail('RUN /bin/sh -c set -e\n  apt-get update # buildkit'),
      'RUN /bin/sh -c set -e apt-get update # buildkit',
    );
    const long = truncateDetail('x'.repeat(500));
    assert.equal(long.length, maxDetailLength);
    assert.equal(long, `${'x'.repeat(maxDetailLength - 1)}…`);
  });
});

describe('historyEvidence', () => {
  it('masks a secret before cutting, so a secret across the cut shows no more than its masked prefix', () => {
    const token = `ghp_${fake('b62', 36)}`;
    const createdBy = `/bin/sh -c ${'echo x && '.repeat(16)}git clone https://${token}@github.com/example/private.git`;
    assert.ok(
      createdBy.indexOf(token) < maxDetailLength && createdBy.indexOf(token) + token.length > maxDetailLength,
    );
    const [step] = historySteps([{ createdBy, emptyLayer: false }]);
    const evidence = historyEvidence(rules, step!);
    assert.equal(evidence.location, 'config:history/0');
    assert.equal(evidence.detail.length, maxDetailLength);
    assert.ok(!evidence.detail.includes(token.slice(0, 6)), evidence.detail);
    assert.ok(evidence.detail.includes('https://ghp_*'), evidence.detail);
  });
});
