import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { baseNameOf, normaliseEntryPath, parentOf, symlinkEscapesRoot } from './path.ts';

const limits = { maxPathLength: 4096, maxPathDepth: 256 };

describe('normaliseEntryPath', () => {
  it('keeps clean names and strips ./ prefixes', () => {
    assert.deepEqual(normaliseEntryPath('usr/bin/env', limits), {
      path: 'usr/bin/env',
      absolute: false,
      escaped: false,
      tooLong: false,
    });
    assert.equal(normaliseEntryPath('./usr/bin/env', limits).path, 'usr/bin/env');
    assert.equal(normaliseEntryPath('././etc', limits).path, 'etc');
    assert.equal(normaliseEntryPath('./', limits).path, '');
    assert.equal(normaliseEntryPath('.', limits).path, '');
    assert.equal(normaliseEntryPath('', limits).path, '');
  });

  it('drops trailing slashes, collapses slashes and resolves dots', () => {
    assert.equal(normaliseEntryPath('etc/', limits).path, 'etc');
    assert.equal(normaliseEntryPath('usr//lib///x', limits).path, 'usr/lib/x');
    assert.equal(normaliseEntryPath('usr/./lib/../bin/sh', limits).path, 'usr/bin/sh');
    assert.equal(normaliseEntryPath('..foo/.bar/...', limits).path, '..foo/.bar/...');
  });

  it('reads absolute names relative to the root and says so', () => {
    assert.deepEqual(normaliseEntryPath('/etc/passwd', limits), {
      path: 'etc/passwd',
      absolute: true,
      escaped: false,
      tooLong: false,
    });
    assert.deepEqual(normaliseEntryPath('//etc', limits), {
      path: 'etc',
      absolute: true,
      escaped: false,
      tooLong: false,
    });
  });

  it('clamps .. at the root and says so', () => {
    assert.deepEqual(normaliseEntryPath('../../etc/passwd', limits), {
      path: 'etc/passwd',
      absolute: false,
      escaped: true,
      tooLong: false,
    });
    assert.deepEqual(normaliseEntryPath('usr/../../etc/shadow', limits), {
      path: 'etc/shadow',
      absolute: false,
      escaped: true,
      tooLong: false,
    });
    assert.deepEqual(normaliseEntryPath('/../x', limits), {
      path: 'x',
      absolute: true,
      escaped: true,
      tooLong: false,
    });
    assert.equal(normaliseEntryPath('usr/lib/../../etc', limits).escaped, false);
  });

  it('flags names that are too long or too deep', () => {
    const small = { maxPathLength: 10, maxPathDepth: 3 };
    assert.equal(normaliseEntryPath('a/b/c', small).tooLong, false);
    assert.equal(normaliseEntryPath('a/b/c/d', small).tooLong, true);
    assert.equal(normaliseEntryPath('./a/b/c/d', small).tooLong, true);
    assert.equal(normaliseEntryPath('abcdefghijk', small).tooLong, true);
    assert.equal(normaliseEntryPath('x/../abcdefghij', small).tooLong, false);
  });

  const segment = fc.oneof(
    fc.constantFrom('', '.', '..', '...', '.wh.x', 'a', 'b'),
    fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom('a', '.', '/', 'é', ' ') }),
  );
  const name = fc.array(segment, { maxLength: 8 }).map((parts) => parts.join('/'));

  it('never yields .. segments, empty segments or a leading slash', () => {
    fc.assert(
      fc.property(name, (raw) => {
        const { path } = normaliseEntryPath(raw, limits);
        assert.ok(!path.startsWith('/'), path);
        assert.ok(!path.endsWith('/'), path);
        if (path === '') return;
        for (const part of path.split('/'))
          assert.ok(part !== '' && part !== '.' && part !== '..', `${raw} -> ${path}`);
      }),
    );
  });

  it('is idempotent, and a normal path passes unflagged', () => {
    fc.assert(
      fc.property(name, (raw) => {
        const once = normaliseEntryPath(raw, limits);
        const twice = normaliseEntryPath(once.path, limits);
        assert.deepEqual(twice, { path: once.path, absolute: false, escaped: false, tooLong: false });
      }),
    );
  });

  it('agrees with a plain segment-stack model', () => {
    fc.assert(
      fc.property(name, (raw) => {
        const stack: string[] = [];
        let escaped = false;
        for (const part of raw.split('/')) {
          if (part === '' || part === '.') continue;
          if (part === '..') {
            if (stack.length === 0) escaped = true;
            stack.pop();
          } else stack.push(part);
        }
        const result = normaliseEntryPath(raw, limits);
        assert.equal(result.path, stack.join('/'));
        assert.equal(result.escaped, escaped);
        assert.equal(result.absolute, raw.startsWith('/'));
      }),
    );
  });
});

describe('path helpers', () => {
  it('splits parent and base name', () => {
    assert.equal(parentOf('usr/bin/env'), 'usr/bin');
    assert.equal(parentOf('etc'), '');
    assert.equal(baseNameOf('usr/bin/env'), 'env');
    assert.equal(baseNameOf('etc'), 'etc');
  });

  it('tells which symlink targets climb above the root', () => {
    assert.equal(symlinkEscapesRoot('usr/bin/python', 'python3'), false);
    assert.equal(symlinkEscapesRoot('usr/bin/python', '/usr/bin/python3'), false);
    assert.equal(symlinkEscapesRoot('usr/lib/x', '../../etc/passwd'), false);
    assert.equal(symlinkEscapesRoot('usr/lib/x', '../../../etc/passwd'), true);
    assert.equal(symlinkEscapesRoot('x', '..'), true);
    assert.equal(symlinkEscapesRoot('a/b', 'c/../../..'), true);
    assert.equal(symlinkEscapesRoot('a/b', 'c/../..'), false);
  });
});
