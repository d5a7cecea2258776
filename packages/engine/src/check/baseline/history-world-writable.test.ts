import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSecretRules } from '../../analyzer/secret/rule-set.ts';
import { historySteps } from './history-instruction.ts';
import { runSteps } from './history-run-steps.ts';
import { isWorldWritableMode, worldWritableCheck } from './history-world-writable.ts';

const rules = compileSecretRules();
const runs = (...createdBy: string[]) =>
  runSteps(historySteps(createdBy.map((text) => ({ createdBy: text, emptyLayer: false }))));

describe('isWorldWritableMode', () => {
  it('reads octal modes by the others write bit, sticky directories excepted', () => {
    for (const mode of ['777', '0777', '666', '2777', '772', '7'])
      assert.equal(isWorldWritableMode(mode), true, mode);
    for (const mode of ['755', '0644', '775', '1777', '700', '4755'])
      assert.equal(isWorldWritableMode(mode), false, mode);
  });

  it('reads symbolic modes by clauses granting w to o or a', () => {
    for (const mode of ['a+rwx', 'o+w', 'ugo=rwx', 'u+x,o+w', 'a=rw'])
      assert.equal(isWorldWritableMode(mode), true, mode);
    for (const mode of ['+x', 'u+w', 'g+w', 'o-w', 'a-w', 'a+rx', 'a+rwxt', '+w'])
      assert.equal(isWorldWritableMode(mode), false, mode);
  });
});

describe('worldWritableCheck', () => {
  it('fails on chmod 777 and a+rwx, through sudo too', () => {
    const result = worldWritableCheck(
      runs(
        '/bin/sh -c chmod -R 777 /var/www/html',
        '/bin/sh -c chmod 755 /usr/local/bin/entrypoint.sh',
        'RUN /bin/sh -c mkdir -p /data && sudo chmod a+rwx /data # buildkit',
        'RUN /bin/sh -c chmod 1777 /tmp # buildkit',
      ),
      rules,
    );
    assert.equal(result.result, 'fail');
    assert.deepEqual(
      result.evidence.map((item) => item.location),
      ['config:history/0', 'config:history/2'],
    );
  });

  it('passes without world-writable modes', () => {
    const result = worldWritableCheck(
      runs('/bin/sh -c chmod -R g+w /app && chmod 0644 /etc/app.conf', '/bin/sh -c echo 777'),
      rules,
    );
    assert.equal(result.result, 'pass');
  });
});
