import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSecretRules } from '../../analyzer/secret/rule-set.ts';
import { addConcern, addInsteadOfCopyCheck } from './history-add-instead-of-copy.ts';
import { parseCopyArguments } from './history-copy-arguments.ts';
import { historySteps } from './history-instruction.ts';

const rules = compileSecretRules();
const history = (...createdBy: string[]) =>
  historySteps(createdBy.map((text) => ({ createdBy: text, emptyLayer: false })));
const concern = (args: string) => addConcern(parseCopyArguments(args));

describe('addConcern', () => {
  it('accepts unpacking a local archive and a root filesystem added by the classic builder', () => {
    assert.equal(concern('alpine-minirootfs-3.19.1-x86_64.tar.gz /'), undefined);
    assert.equal(concern('--chown=app vendor.tgz /opt/vendor/'), undefined);
    assert.equal(
      concern('file:4f5a660d3f5141588d3e80a6b1a8ec5b1c4ab8f43f6c8e5c3b9a5e0e7b4b3b0a in /'),
      undefined,
    );
    assert.equal(
      concern(
        '--checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/',
      ),
      undefined,
    );
  });

  it('flags a remote source without checksum, and local files COPY would copy', () => {
    assert.equal(concern('https://example.com/install.sh /tmp/install.sh'), 'remote');
    assert.equal(concern('git@github.com:example/app.git /src'), 'remote');
    assert.equal(concern('app.py requirements.txt /app/'), 'local');
    assert.equal(concern('. /app'), 'local');
    assert.equal(concern('file:238737301d47 in /usr/local/bin/'), 'local');
    assert.equal(concern('dir:9e1b2c in /'), 'local');
    assert.equal(concern('app.tar.gz start.sh /app/'), 'local');
  });
});

describe('addInsteadOfCopyCheck (CIS 4.9)', () => {
  it('passes with COPY and archive ADDs', () => {
    const result = addInsteadOfCopyCheck(
      history(
        '/bin/sh -c #(nop) ADD file:4f5a660d3f5141588d3e80a6b1a8ec5b1c4ab8f43f6c8e5c3b9a5e0e7b4b3b0a in / ',
        'COPY . /app # buildkit',
        'ADD rootfs.tar.xz / # buildkit',
      ),
      rules,
    );
    assert.equal(result.result, 'pass');
  });

  it('fails on local ADD at low severity', () => {
    const result = addInsteadOfCopyCheck(
      history('/bin/sh -c #(nop)  CMD ["bash"]', 'ADD --chown=node:node . /home/node/app # buildkit'),
      rules,
    );
    assert.equal(result.result, 'fail');
    assert.equal(result.severity, 'low');
    assert.deepEqual(result.evidence, [
      { location: 'config:history/1', detail: 'ADD --chown=node:node . /home/node/app # buildkit' },
    ]);
    assert.equal(result.current, 'ADD of a local file or directory in config:history/1');
  });

  it('fails on a remote ADD at medium severity', () => {
    const result = addInsteadOfCopyCheck(
      history(
        '/bin/sh -c #(nop) COPY file:238737301d47 in /usr/local/bin/ ',
        'ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini # buildkit',
        '/bin/sh -c #(nop) ADD dir:9e1b2c in /srv ',
      ),
      rules,
    );
    assert.equal(result.severity, 'medium');
    assert.deepEqual(
      result.evidence.map((item) => item.location),
      ['config:history/1', 'config:history/2'],
    );
    assert.equal(
      result.current,
      'remote ADD without checksum in config:history/1; ADD of a local file or directory in config:history/2',
    );
  });
});
