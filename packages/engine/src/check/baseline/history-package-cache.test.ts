import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSecretRules } from '../../analyzer/secret/rule-set.ts';
import { historySteps } from './history-instruction.ts';
import { leftCaches, packageCacheCheck } from './history-package-cache.ts';
import { runSteps } from './history-run-steps.ts';

const rules = compileSecretRules();
const runs = (...createdBy: string[]) =>
  runSteps(historySteps(createdBy.map((text) => ({ createdBy: text, emptyLayer: false }))));
const left = (createdBy: string, environment: string[] = []) => leftCaches(runs(createdBy)[0]!, environment);

describe('leftCaches', () => {
  it('apt: install without removing /var/lib/apt/lists', () => {
    assert.deepEqual(left('/bin/sh -c apt-get update && apt-get install -y curl'), ['apt lists']);
    assert.deepEqual(left('/bin/sh -c apt-get update && apt-get install -y curl && apt-get clean'), [
      'apt lists',
    ]);
    assert.deepEqual(
      left('/bin/sh -c apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*'),
      [],
    );
    assert.deepEqual(left('/bin/sh -c apt-get update && apt-get install -y curl && apt-get distclean'), []);
    assert.deepEqual(left('/bin/sh -c apt-get purge -y curl'), []);
  });

  it('pip: install without --no-cache-dir, unless the cache is off or removed', () => {
    assert.deepEqual(left('/bin/sh -c pip install -r requirements.txt'), ['pip cache']);
    assert.deepEqual(left('/bin/sh -c pip install --no-cache-dir -r requirements.txt'), []);
    assert.deepEqual(left('/bin/sh -c PIP_NO_CACHE_DIR=1 pip install flask'), []);
    assert.deepEqual(left('/bin/sh -c pip install flask', ['PIP_NO_CACHE_DIR=1']), []);
    assert.deepEqual(left('/bin/sh -c pip install flask', ['PIP_NO_CACHE_DIR=0']), ['pip cache']);
    assert.deepEqual(left('/bin/sh -c pip install flask && rm -rf /root/.cache/pip'), []);
    assert.deepEqual(left('/bin/sh -c python3 -m pip install flask && python3 -m pip cache purge'), []);
  });

  it('apk: add without --no-cache, unless /var/cache/apk is removed', () => {
    assert.deepEqual(left('RUN /bin/sh -c apk update && apk add curl # buildkit'), ['apk cache']);
    assert.deepEqual(left('RUN /bin/sh -c apk add --no-cache curl # buildkit'), []);
    assert.deepEqual(left('RUN /bin/sh -c apk --no-cache add curl # buildkit'), []);
    assert.deepEqual(left('RUN /bin/sh -c apk add -U curl && rm -rf /var/cache/apk/* # buildkit'), []);
  });

  it('yum and dnf: install without clean all', () => {
    assert.deepEqual(left('/bin/sh -c yum install -y httpd'), ['yum/dnf cache']);
    assert.deepEqual(left('/bin/sh -c yum install -y httpd && yum clean all'), []);
    assert.deepEqual(left('/bin/sh -c microdnf install -y tar && microdnf clean all'), []);
    assert.deepEqual(left('/bin/sh -c dnf install -y tar && rm -rf /var/cache/dnf'), []);
  });
});

describe('packageCacheCheck', () => {
  it('fails naming the caches left in each step', () => {
    const result = packageCacheCheck(
      runs(
        '/bin/sh -c apt-get update && apt-get install -y python3-pip && pip install flask',
        'RUN /bin/sh -c apk add --no-cache curl # buildkit',
      ),
      [],
      rules,
    );
    assert.equal(result.result, 'fail');
    assert.equal(result.severity, 'low');
    assert.equal(result.current, 'apt lists, pip cache left in config:history/0');
    assert.deepEqual(
      result.evidence.map((item) => item.location),
      ['config:history/0'],
    );
  });

  it('passes with caches cleaned or mounted', () => {
    const result = packageCacheCheck(
      runs(
        '/bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
        'RUN --mount=type=cache,target=/root/.cache/pip /bin/sh -c pip install -r requirements.txt # buildkit',
      ),
      [],
      rules,
    );
    assert.equal(result.result, 'pass');
  });
});
