import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { latestTagCheck } from './image-tag.ts';

const digest = `sha256:${'ab'.repeat(32)}`;

describe('latestTagCheck', () => {
  it('fails on latest, written or implied', () => {
    const latest = latestTagCheck({ tag: 'latest' });
    assert.equal(latest.result, 'fail');
    assert.deepEqual(latest.evidence, [{ location: 'image:reference', detail: ':latest' }]);
    const implied = latestTagCheck({});
    assert.equal(implied.result, 'fail');
    assert.equal(implied.current, 'no tag (read as :latest)');
  });

  it('passes on a version tag or any digest', () => {
    assert.equal(latestTagCheck({ tag: '1.25.3-bookworm' }).result, 'pass');
    const pinned = latestTagCheck({ tag: 'latest', digest });
    assert.equal(pinned.result, 'pass');
    assert.equal(pinned.current, `:latest@${digest}`);
    assert.equal(latestTagCheck({ digest }).current, `@${digest}`);
  });

  it('does not apply when the image was not named by a reference', () => {
    const result = latestTagCheck(undefined);
    assert.equal(result.result, 'not_applicable');
    assert.equal(result.current, undefined);
  });
});
