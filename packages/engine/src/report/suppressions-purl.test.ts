import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { purlMatches } from './suppressions-purl.ts';

describe('purl matching (OpenVEX v0.2.0 rules)', () => {
  const installed = 'pkg:apk/alpine/libcrypto3@3.1.4-r0?arch=x86_64&distro=alpine-3.19.0';

  it('matches without a version any version, and with one only that version', () => {
    assert.ok(purlMatches('pkg:apk/alpine/libcrypto3', installed));
    assert.ok(purlMatches('pkg:apk/alpine/libcrypto3@3.1.4-r0', installed));
    assert.ok(!purlMatches('pkg:apk/alpine/libcrypto3@3.1.4-r5', installed));
  });

  it('needs every qualifier of the pattern, ignores the candidate extra ones', () => {
    assert.ok(purlMatches('pkg:apk/alpine/libcrypto3@3.1.4-r0?arch=x86_64', installed));
    assert.ok(purlMatches('pkg:apk/alpine/libcrypto3?distro=alpine-3.19.0&arch=x86_64', installed));
    assert.ok(!purlMatches('pkg:apk/alpine/libcrypto3@3.1.4-r0?arch=aarch64', installed));
    assert.ok(!purlMatches('pkg:apk/alpine/libcrypto3?repository_url=https://example.com', installed));
    assert.ok(!purlMatches(installed, 'pkg:apk/alpine/libcrypto3@3.1.4-r0'));
  });

  it('compares type, namespace and name after normalisation and decoding', () => {
    assert.ok(
      purlMatches('pkg:deb/debian/libc6@2.36-9+deb12u4', 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64'),
    );
    assert.ok(purlMatches('pkg:npm/@babel/core', 'pkg:npm/%40babel/core@7.24.0'));
    assert.ok(purlMatches('pkg:pypi/Foo_Bar', 'pkg:pypi/foo-bar@1.0'));
    assert.ok(!purlMatches('pkg:deb/ubuntu/libc6', 'pkg:deb/debian/libc6@2.36'));
    assert.ok(!purlMatches('pkg:npm/core', 'pkg:npm/%40babel/core@7.24.0'));
    assert.ok(!purlMatches('pkg:apk/alpine/libcrypto', installed));
    assert.ok(!purlMatches('pkg:rpm/alpine/libcrypto3', installed));
  });

  it('names nothing with an identifier that is not a purl', () => {
    assert.ok(!purlMatches('cpe:2.3:a:openssl:openssl:3.1.4', installed));
    assert.ok(!purlMatches('pkg:', installed));
  });
});
