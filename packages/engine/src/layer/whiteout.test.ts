import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyWhiteout } from './whiteout.ts';

describe('classifyWhiteout', () => {
  it('leaves ordinary entries alone', () => {
    assert.equal(classifyWhiteout('usr/bin/env'), undefined);
    assert.equal(classifyWhiteout('etc/.whatever'), undefined);
    assert.equal(classifyWhiteout('a/.wh.b/c'), undefined);
    assert.equal(classifyWhiteout('x.wh.y'), undefined);
  });

  it('recognises whiteouts of files and directories', () => {
    assert.deepEqual(classifyWhiteout('etc/.wh.passwd'), { kind: 'whiteout', target: 'etc/passwd' });
    assert.deepEqual(classifyWhiteout('.wh.opt'), { kind: 'whiteout', target: 'opt' });
    assert.deepEqual(classifyWhiteout('a/b/.wh..hidden'), { kind: 'whiteout', target: 'a/b/.hidden' });
  });

  it('recognises opaque markers, including at the root', () => {
    assert.deepEqual(classifyWhiteout('var/cache/.wh..wh..opq'), { kind: 'opaque', directory: 'var/cache' });
    assert.deepEqual(classifyWhiteout('.wh..wh..opq'), { kind: 'opaque', directory: '' });
  });

  it('ignores AUFS metadata and whiteouts that would name . or ..', () => {
    assert.deepEqual(classifyWhiteout('.wh..wh.plnk'), { kind: 'ignored' });
    assert.deepEqual(classifyWhiteout('.wh..wh.plnk/1234.5678'), { kind: 'ignored' });
    assert.deepEqual(classifyWhiteout('.wh..wh.aufs'), { kind: 'ignored' });
    assert.deepEqual(classifyWhiteout('a/.wh..wh.orph/x'), { kind: 'ignored' });
    assert.deepEqual(classifyWhiteout('a/.wh.'), { kind: 'ignored' });
    assert.deepEqual(classifyWhiteout('a/.wh...'), { kind: 'ignored' });
  });
});
