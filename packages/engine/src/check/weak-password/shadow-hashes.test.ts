import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseShadowHashes } from './shadow-hashes.ts';

describe('parseShadowHashes', () => {
  it('keeps real hashes with their line and skips locked, empty and placeholder entries', () => {
    const shadow = [
      'root:*:19800:0:99999:7:::',
      'daemon:!:19800::::::',
      'alice:$6$abcdefgh$M/eYsB4rVXAm3ZNc88J.UD9rCKAT6FB1rahiwJCHtEndQNORCub5qhjxn50qbqVVthkM.9HpEwtf0t.iV9uH0/:19800:0:99999:7:::',
      'locked:!$1$saltsalt$ZliGyAN3DciDHEkDboonh/:19800::::::',
      'nopass::19800::::::',
      '',
      'old:w1CUG/i3nQmXM:19800::::::',
      'placeholder:x:19800::::::',
      'windows:abNANd1rDfiNc:19800::::::\r',
      'garbage line without fields',
    ].join('\n');
    assert.deepEqual(
      parseShadowHashes(shadow).map((entry) => [entry.account, entry.line, entry.hash.slice(0, 6)]),
      [
        ['alice', 3, '$6$abc'],
        ['old', 7, 'w1CUG/'],
        ['windows', 9, 'abNANd'],
      ],
    );
  });
});
