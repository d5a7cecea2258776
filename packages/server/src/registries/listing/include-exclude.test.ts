import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileImageFilter, globToRegExp } from './include-exclude.ts';

describe('globToRegExp', () => {
  const cases: readonly (readonly [string, string, boolean])[] = [
    ['library/*', 'library/nginx', true],
    ['library/*', 'library/a/b', false],
    ['library/**', 'library/a/b', true],
    ['library/**', 'library', false],
    ['**/nginx', 'nginx', true],
    ['**/nginx', 'a/b/nginx', true],
    ['**/nginx', 'a/b/nginx-x', false],
    ['team/app?', 'team/app1', true],
    ['team/app?', 'team/app/', false],
    ['a.b', 'a.b', true],
    ['a.b', 'axb', false],
    ['v1.*', 'v1.2.3', true],
    ['(x)+[y]', '(x)+[y]', true],
    ['*', '', true],
  ];
  for (const [glob, text, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(text)}`, () => {
      assert.equal(globToRegExp(glob).test(text), expected);
    });
  }
});

describe('compileImageFilter', () => {
  it('passes everything when both lists are empty', () => {
    const filter = compileImageFilter([], []);
    assert.equal(filter.repositoryMayMatch('any/thing'), true);
    assert.equal(filter.matches('any/thing', 'latest'), true);
  });

  it('matches repository patterns and repository:tag patterns', () => {
    const filter = compileImageFilter(['library/*', 'team/app:v*'], []);
    assert.equal(filter.matches('library/nginx', 'anything'), true);
    assert.equal(filter.matches('team/app', 'v1'), true);
    assert.equal(filter.matches('team/app', 'latest'), false);
    assert.equal(filter.matches('other/app', 'v1'), false);
    assert.equal(filter.repositoryMayMatch('team/app'), true);
    assert.equal(filter.repositoryMayMatch('other/app'), false);
  });

  it('lets exclude win over include', () => {
    const filter = compileImageFilter(['team/**'], ['team/secret', 'team/app:*-rc*']);
    assert.equal(filter.matches('team/app', '1.0'), true);
    assert.equal(filter.matches('team/app', '1.1-rc1'), false);
    assert.equal(filter.matches('team/secret', '1.0'), false);
    assert.equal(filter.repositoryMayMatch('team/secret'), false);
    // A tag exclusion cannot rule the whole repository out.
    assert.equal(filter.repositoryMayMatch('team/app'), true);
  });

  const segment = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,6}$/);
  const repository = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
  const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,8}$/);
  const pattern = fc.oneof(
    repository,
    fc.tuple(repository, tag).map(([r, t]) => `${r}:${t}`),
    segment.map((s) => `${s}/**`),
    fc.constant('**'),
    fc.constant('*/*:latest'),
  );

  it('property: an exact repository:tag exclusion always removes the image', () => {
    fc.assert(
      fc.property(fc.array(pattern), repository, tag, (include, r, t) => {
        assert.equal(compileImageFilter(include, [`${r}:${t}`]).matches(r, t), false);
      }),
    );
  });

  it('property: empty include passes whatever no exclude matches, and repositoryMayMatch never hides a passing image', () => {
    fc.assert(
      fc.property(
        fc.array(pattern, { maxLength: 3 }),
        fc.array(pattern, { maxLength: 3 }),
        repository,
        tag,
        (include, exclude, r, t) => {
          const withoutInclude = compileImageFilter([], exclude);
          const excludedAlone = compileImageFilter(exclude, []);
          assert.equal(withoutInclude.matches(r, t), exclude.length === 0 || !excludedAlone.matches(r, t));
          const filter = compileImageFilter(include, exclude);
          if (filter.matches(r, t)) assert.equal(filter.repositoryMayMatch(r), true);
        },
      ),
    );
  });
});
