import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Analyzer, FileWants } from '../analyzer/contract.ts';
import { WantsIndex } from './wants-index.ts';

function analyzer(id: string, wants: FileWants): Analyzer {
  return { kind: 'each', id, version: 1, wants, analyze: () => [] };
}

describe('WantsIndex', () => {
  const analyzers = [
    analyzer('exact', { paths: ['etc/os-release', 'usr/lib/os-release'], maxBytes: 100 }),
    analyzer('basename', { basenames: ['package.json', 'os-release'], maxBytes: 100 }),
    analyzer('suffix', { suffixes: ['.jar', '.gemspec'], maxBytes: 100 }),
    analyzer('prefix', { prefixes: ['var/lib/dpkg/status.d/', 'lib/apk/'], maxBytes: 100 }),
    analyzer('predicate', {
      match: (path, size, mode) => size === 42 || (mode & 0o111) !== 0 || path === 'x',
      maxBytes: 100,
    }),
  ];
  const index = new WantsIndex(analyzers);

  it('routes by exact path, basename, suffix, prefix and predicate', () => {
    assert.deepEqual(index.match('etc/os-release', 1, 0o644), [0, 1]);
    assert.deepEqual(index.match('app/node_modules/a/package.json', 1, 0o644), [1]);
    assert.deepEqual(index.match('opt/app/lib/x.jar', 1, 0o644), [2]);
    assert.deepEqual(index.match('usr/share/gems/specifications/a.gemspec', 1, 0o644), [2]);
    assert.deepEqual(index.match('var/lib/dpkg/status.d/libc6', 1, 0o644), [3]);
    assert.deepEqual(index.match('lib/apk/db/installed', 1, 0o644), [3]);
    assert.deepEqual(index.match('usr/bin/tool', 1, 0o755), [4]);
    assert.deepEqual(index.match('usr/lib/os-release', 42, 0o644), [0, 1, 4]);
  });

  it('answers undefined for files nobody wants', () => {
    assert.equal(index.match('usr/share/doc/README', 1, 0o644), undefined);
    assert.equal(index.match('var/lib/dpkg/status.d', 1, 0o644), undefined);
    assert.equal(index.match('jar', 1, 0o644), undefined);
    assert.equal(index.match('', 0, 0), undefined);
  });

  it('lists the analyzers in list order whatever kind of want found them first', () => {
    // Exact paths are looked up before predicates and prefixes: found out of list order.
    const mixed = new WantsIndex([
      analyzer('predicate', { match: () => true, maxBytes: 1 }),
      analyzer('prefix', { prefixes: ['a/'], maxBytes: 1 }),
      analyzer('suffix', { suffixes: ['.jar'], maxBytes: 1 }),
      analyzer('exact', { paths: ['a/b.jar'], maxBytes: 1 }),
    ]);
    assert.deepEqual(mixed.match('a/b.jar', 1, 0), [0, 1, 2, 3]);
    assert.deepEqual(mixed.match('a/c', 1, 0), [0, 1]);
  });

  it('lists an analyzer once even when several of its wants match', () => {
    const twice = new WantsIndex([
      analyzer('both', {
        paths: ['a/b.jar'],
        suffixes: ['.jar'],
        prefixes: ['a/'],
        basenames: ['b.jar'],
        maxBytes: 1,
      }),
    ]);
    assert.deepEqual(twice.match('a/b.jar', 1, 0), [0]);
    assert.deepEqual(twice.match('a/b.jar', 1, 0), [0]);
  });

  it('treats a throwing predicate as not wanted and reports it', () => {
    const failures: number[] = [];
    const throwing = new WantsIndex([
      analyzer('bad', {
        match: () => {
          throw new Error('boom');
        },
        maxBytes: 1,
      }),
      analyzer('good', { basenames: ['x'], maxBytes: 1 }),
    ]);
    assert.deepEqual(
      throwing.match('x', 1, 0, (failure) => failures.push(failure.analyzer)),
      [1],
    );
    assert.deepEqual(failures, [0]);
  });

  it('asks a guarded predicate only about the files its guard lets through', () => {
    const asked: string[] = [];
    const note =
      (id: string, answer: boolean) =>
      (path: string): boolean => {
        asked.push(`${id} ${path}`);
        return answer;
      };
    const guarded = new WantsIndex([
      analyzer('json', {
        match: note('json', true),
        matchGuard: { suffixes: ['/package.json', '.lock'] },
        maxBytes: 1,
      }),
      analyzer('binary', { match: note('binary', true), matchGuard: { executable: true }, maxBytes: 1 }),
      analyzer('script', {
        match: note('script', false),
        matchGuard: { suffixes: ['.sh'], executable: true },
        maxBytes: 1,
      }),
      analyzer('any', { match: note('any', false), maxBytes: 1 }),
    ]);
    assert.equal(guarded.match('srv/records/1.json', 9, 0o644), undefined);
    assert.deepEqual(asked, ['any srv/records/1.json'], 'only the unguarded predicate');
    asked.length = 0;
    assert.deepEqual(guarded.match('app/node_modules/a/package.json', 9, 0o644), [0]);
    assert.deepEqual(guarded.match('app/yarn.lock', 9, 0o644), [0]);
    assert.deepEqual(guarded.match('usr/bin/tool', 9, 0o755), [1]);
    assert.deepEqual(guarded.match('opt/run.sh', 9, 0o644), undefined);
    assert.deepEqual(guarded.match('opt/run.sh', 9, 0o700), [1]);
    assert.deepEqual(asked, [
      'json app/node_modules/a/package.json',
      'any app/node_modules/a/package.json',
      'json app/yarn.lock',
      'any app/yarn.lock',
      'binary usr/bin/tool',
      'any usr/bin/tool',
      'any opt/run.sh',
      'script opt/run.sh',
      'binary opt/run.sh',
      'any opt/run.sh',
    ]);
  });
});
