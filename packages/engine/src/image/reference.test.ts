import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DrydockError } from '../util/errors.ts';
import { isLoopbackRegistry, parseReference, registryApiHost } from './reference.ts';

const sha = `sha256:${'a'.repeat(64)}`;

function fields(text: string): Record<string, string | undefined> {
  const ref = parseReference(text);
  return { registry: ref.registry, repository: ref.repository, tag: ref.tag, digest: ref.digest };
}

function assertInvalid(text: string, reason?: string): void {
  assert.throws(
    () => parseReference(text),
    (error: unknown) =>
      error instanceof DrydockError &&
      error.code === 'invalid_reference' &&
      (reason === undefined || error.reason === reason),
    `expected ${JSON.stringify(text)} to be invalid${reason ? ` (${reason})` : ''}`,
  );
}

describe('parseReference: table of the grammar edge cases', () => {
  const valid: readonly (readonly [string, Record<string, string | undefined>])[] = [
    ['alpine', { registry: 'docker.io', repository: 'library/alpine', tag: 'latest', digest: undefined }],
    ['alpine:3.19', { registry: 'docker.io', repository: 'library/alpine', tag: '3.19', digest: undefined }],
    [
      'docker.io/alpine',
      { registry: 'docker.io', repository: 'library/alpine', tag: 'latest', digest: undefined },
    ],
    [
      'docker.io/library/alpine:edge',
      { registry: 'docker.io', repository: 'library/alpine', tag: 'edge', digest: undefined },
    ],
    [
      'index.docker.io/library/alpine',
      { registry: 'docker.io', repository: 'library/alpine', tag: 'latest', digest: undefined },
    ],
    ['bitnami/redis:7', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7', digest: undefined }],
    ['localhost/foo', { registry: 'localhost', repository: 'foo', tag: 'latest', digest: undefined }],
    [
      'localhost:5000/foo',
      { registry: 'localhost:5000', repository: 'foo', tag: 'latest', digest: undefined },
    ],
    [
      'localhost:5000/foo/bar:v1',
      { registry: 'localhost:5000', repository: 'foo/bar', tag: 'v1', digest: undefined },
    ],
    [
      '127.0.0.1:5000/a/b/c:1.0',
      { registry: '127.0.0.1:5000', repository: 'a/b/c', tag: '1.0', digest: undefined },
    ],
    ['[::1]:5000/foo:tag', { registry: '[::1]:5000', repository: 'foo', tag: 'tag', digest: undefined }],
    ['[2001:db8::1]/foo', { registry: '[2001:db8::1]', repository: 'foo', tag: 'latest', digest: undefined }],
    [`foo@${sha}`, { registry: 'docker.io', repository: 'library/foo', tag: undefined, digest: sha }],
    [`ghcr.io/org/app:1.2@${sha}`, { registry: 'ghcr.io', repository: 'org/app', tag: '1.2', digest: sha }],
    ['Example.COM/foo', { registry: 'Example.COM', repository: 'foo', tag: 'latest', digest: undefined }],
    [
      'localhost:5000',
      { registry: 'docker.io', repository: 'library/localhost', tag: '5000', digest: undefined },
    ],
    [
      'a__b-d---e_f/x.y:_T.a-g',
      { registry: 'docker.io', repository: 'a__b-d---e_f/x.y', tag: '_T.a-g', digest: undefined },
    ],
    ['a.b/c', { registry: 'a.b', repository: 'c', tag: 'latest', digest: undefined }],
    [
      `quay.io/x/y@sha512:${'0'.repeat(128)}`,
      { registry: 'quay.io', repository: 'x/y', tag: undefined, digest: `sha512:${'0'.repeat(128)}` },
    ],
    [
      `foo:${'t'.repeat(128)}`,
      { registry: 'docker.io', repository: 'library/foo', tag: 't'.repeat(128), digest: undefined },
    ],
  ];
  for (const [text, expected] of valid) {
    it(`parses ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`, () => {
      assert.deepEqual(fields(text), expected);
    });
  }

  const invalid: readonly (readonly [string, string])[] = [
    ['', 'empty'],
    ['Foo', 'uppercase'],
    ['foo/Bar', 'uppercase'],
    ['localhost:5000/Foo:tag', 'uppercase'],
    ['a'.repeat(64).replace(/a/g, 'f'), 'identifier'],
    ['foo:', 'invalid_tag'],
    ['foo:.bad', 'invalid_tag'],
    ['foo:-bad', 'invalid_tag'],
    [`foo:${'t'.repeat(129)}`, 'invalid_tag'],
    ['foo@sha256:abc', 'invalid_digest'],
    [`foo@md5:${'a'.repeat(32)}`, 'invalid_digest'],
    [`foo@sha256:${'A'.repeat(64)}`, 'invalid_digest'],
    [`foo@sha256:${'a'.repeat(63)}`, 'invalid_digest'],
    ['foo/', 'invalid_name'],
    ['/foo', 'invalid_name'],
    ['foo//bar', 'invalid_name'],
    ['foo/-bar', 'invalid_name'],
    ['foo/bar-', 'invalid_name'],
    ['foo/b...ar', 'invalid_name'],
    ['foo/b___ar', 'invalid_name'],
    ['-host.com/foo', 'invalid_domain'],
    ['host-.com/foo', 'invalid_domain'],
    ['host.com:port/foo', 'invalid_domain'],
    ['[::1/foo', 'invalid_domain'],
    ['[zz::1]:5000/foo', 'invalid_domain'],
    ['foo bar', 'invalid_name'],
    [':tag', 'invalid_name'],
    ['@' + sha, 'invalid_name'],
  ];
  for (const [text, reason] of invalid) {
    it(`rejects ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)} (${reason})`, () => {
      assertInvalid(text, reason);
    });
  }

  it('limits the normalised name to 255 characters', () => {
    const host = 'registry.example.com'; // 20 characters
    const fits = `${host}/${'a'.repeat(255 - host.length - 1)}`;
    assert.equal(parseReference(fits).name.length, 255);
    assertInvalid(`${fits}a`, 'name_too_long');
    // docker.io/library/ counts: 18 characters of prefix.
    assert.equal(parseReference('a'.repeat(255 - 18)).name.length, 255);
    assertInvalid('a'.repeat(256 - 18), 'name_too_long');
  });

  it('formats familiar and qualified names', () => {
    const ref = parseReference('alpine');
    assert.equal(ref.toString(), 'docker.io/library/alpine:latest');
    assert.equal(ref.familiarName, 'alpine:latest');
    assert.equal(ref.apiHost, 'registry-1.docker.io');
    assert.equal(parseReference('docker.io/bitnami/redis:7').familiarName, 'bitnami/redis:7');
    assert.equal(parseReference('docker.io/library/a/b').familiarName, 'library/a/b:latest');
    assert.equal(parseReference(`localhost:5000/foo@${sha}`).familiarName, `localhost:5000/foo@${sha}`);
    assert.equal(parseReference(`localhost:5000/foo:v@${sha}`).pullReference, sha);
    assert.equal(parseReference('localhost:5000/foo:v').pullReference, 'v');
    assert.equal(registryApiHost('ghcr.io'), 'ghcr.io');
  });

  it('knows loopback registries', () => {
    for (const host of [
      'localhost',
      'localhost:5000',
      '127.0.0.1',
      '127.0.0.1:5000',
      '127.1.2.3:1',
      '[::1]',
      '[::1]:5000',
    ]) {
      assert.equal(isLoopbackRegistry(host), true, host);
    }
    for (const host of [
      'docker.io',
      'localhost.example.com',
      '10.0.0.1:5000',
      '[2001:db8::1]:5000',
      '128.0.0.1',
    ]) {
      assert.equal(isLoopbackRegistry(host), false, host);
    }
  });
});

const lowerAlnum = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const separatorArb = fc.constantFrom('.', '_', '__', '-', '--', '---');
const pathComponentArb = fc
  .tuple(lowerAlnum, fc.array(fc.tuple(separatorArb, lowerAlnum), { maxLength: 3 }))
  .map(([head, rest]) => head + rest.map(([sep, part]) => sep + part).join(''));
const pathArb = fc.array(pathComponentArb, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
const domainComponentArb = fc.stringMatching(/^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,10}[a-zA-Z0-9])$/);
const hostArb = fc.oneof(
  fc
    .tuple(domainComponentArb, fc.array(domainComponentArb, { minLength: 1, maxLength: 3 }))
    .map(([a, rest]) => [a, ...rest].join('.')),
  fc.constant('localhost'),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((octets) => octets.join('.')),
  fc.constantFrom('[::1]', '[2001:db8::1]', '[fe80::a:b:c]'),
);
const domainArb = fc
  .tuple(hostArb, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
  .map(([host, port]) => (port === undefined ? host : `${host}:${port}`));
const tagArb = fc.stringMatching(/^\w[\w.-]{0,20}$/);
const digestArb = fc.stringMatching(/^[a-f0-9]{64}$/).map((hex) => `sha256:${hex}`);

describe('parseReference: properties', () => {
  it('generated valid references parse to their parts and round-trip through toString()', () => {
    fc.assert(
      fc.property(
        fc.option(domainArb, { nil: undefined }),
        pathArb,
        fc.option(tagArb, { nil: undefined }),
        fc.option(digestArb, { nil: undefined }),
        (domain, path, tag, digest) => {
          const text = `${domain === undefined ? '' : `${domain}/`}${path}${tag === undefined ? '' : `:${tag}`}${digest === undefined ? '' : `@${digest}`}`;
          fc.pre(text.length < 200 && !/^[a-f0-9]{64}$/.test(text));
          // Without a registry, a first path component with a "." reads as a registry (Docker's rule).
          fc.pre(domain !== undefined || !path.includes('/') || !(path.split('/')[0] ?? '').includes('.'));
          const ref = parseReference(text);
          const hub = domain === undefined || domain === 'docker.io';
          if (domain !== undefined && !hub) {
            // A first path component that is not a domain-like name is a Docker Hub namespace.
            const looksLikeDomain =
              /[.:]/.test(domain) || domain === 'localhost' || domain.toLowerCase() !== domain;
            fc.pre(looksLikeDomain);
            assert.equal(ref.registry, domain);
            assert.equal(ref.repository, path);
          } else {
            assert.equal(ref.registry, 'docker.io');
            assert.equal(ref.repository, path.includes('/') ? path : `library/${path}`);
          }
          assert.equal(ref.digest, digest);
          assert.equal(ref.tag, tag ?? (digest === undefined ? 'latest' : undefined));
          const again = parseReference(ref.toString());
          assert.deepEqual(
            [again.registry, again.repository, again.tag, again.digest],
            [ref.registry, ref.repository, ref.tag, ref.digest],
          );
          assert.equal(again.toString(), ref.toString());
          const familiar = parseReference(ref.familiarName);
          assert.equal(familiar.toString(), ref.toString());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('arbitrary strings either parse or fail with invalid_reference', () => {
    const check = (text: string): void => {
      try {
        const ref = parseReference(text);
        assert.equal(parseReference(ref.toString()).toString(), ref.toString());
      } catch (error) {
        if (!(error instanceof DrydockError) || error.code !== 'invalid_reference') throw error;
      }
    };
    fc.assert(fc.property(fc.string({ maxLength: 300 }), check), { numRuns: 1000 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 100 }), check), { numRuns: 300 });
    const grammarChars = fc.constantFrom(...'aZ0:/@._-[]:sha256'.split(''));
    fc.assert(
      fc.property(
        fc.array(grammarChars, { maxLength: 40 }).map((chars) => chars.join('')),
        check,
      ),
      { numRuns: 1000 },
    );
  });
});
