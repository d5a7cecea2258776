import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCopyArguments } from './history-copy-arguments.ts';

describe('parseCopyArguments', () => {
  it("reads the classic builder's hashed form", () => {
    assert.deepEqual(parseCopyArguments('file:4f5a660d3f51 in /usr/local/bin/'), {
      flags: new Map(),
      sources: ['file:4f5a660d3f51'],
      destination: '/usr/local/bin/',
      hashed: true,
    });
    assert.equal(parseCopyArguments('multi:9e1b2c in /app/').sources[0], 'multi:9e1b2c');
  });

  it('reads flags, several sources and the destination', () => {
    assert.deepEqual(parseCopyArguments('--chown=app:app --link package.json package-lock.json /app/'), {
      flags: new Map([
        ['chown', 'app:app'],
        ['link', ''],
      ]),
      sources: ['package.json', 'package-lock.json'],
      destination: '/app/',
      hashed: false,
    });
  });

  it('reads the JSON form', () => {
    const parsed = parseCopyArguments('["my file.txt", "/opt/app/"]');
    assert.deepEqual(parsed.sources, ['my file.txt']);
    assert.equal(parsed.destination, '/opt/app/');
  });
});
