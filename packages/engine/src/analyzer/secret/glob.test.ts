import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globToRegExpSource } from './glob.ts';

function matches(glob: string, path: string): boolean {
  return new RegExp(globToRegExpSource(glob)).test(path);
}

describe('globToRegExpSource', () => {
  it('matches globs as .gitignore does', () => {
    assert.ok(matches('*.pem', 'etc/ssl/private/server.pem'));
    assert.ok(!matches('*.pem', 'etc/ssl/private/server.pem.bak'));
    assert.ok(matches('**/fixtures/**', 'app/test/fixtures/key.pem'));
    assert.ok(matches('/opt/app/config/*.yaml', 'opt/app/config/dev.yaml'));
    assert.ok(!matches('/opt/app/config/*.yaml', 'srv/opt/app/config/dev.yaml'));
    assert.ok(!matches('opt/app/*.yaml', 'opt/app/sub/dev.yaml'));
    assert.ok(matches('opt/app', 'opt/app/sub/dev.yaml'), 'a directory covers what is below it');
    assert.ok(matches('app/{dev,test}.env', 'app/test.env'));
    assert.ok(matches('app/key?.pem', 'app/key1.pem'));
    assert.ok(!matches('app/key?.pem', 'app/key10.pem'));
    assert.ok(!matches('a+b/*.txt', 'aab/x.txt'), 'regular-expression characters are literal');
  });
});
