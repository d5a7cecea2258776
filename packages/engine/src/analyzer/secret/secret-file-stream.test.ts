import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Fact } from '../fact.ts';
import { compileSecretRules } from './rule-set.ts';
import { fake } from './rule-vectors.ts';
import { scanFile } from './scan-file.ts';
import { SecretFileStream } from './secret-file-stream.ts';

const rules = compileSecretRules();
const layer = { index: 0, digest: `sha256:${'0'.repeat(64)}`, diffId: undefined, createdBy: undefined };
const token = `ghp_${fake('b62', 36)}`;
const npmToken = `npm_${fake('b62', 36)}`;

/** The facts the whole-file path gives (secret-analyzer.ts's `analyze`). */
function wholeFacts(path: string, content: Buffer): Fact[] {
  return scanFile(rules, path, content).matches.map((match) => ({ kind: 'secret', layer, path, match }));
}

function streamed(path: string, content: Buffer, partBytes: number): SecretFileStream {
  const stream = new SecretFileStream(rules, path, content.length, layer);
  for (let at = 0; at < content.length; at += partBytes) stream.write(content.subarray(at, at + partBytes));
  return stream;
}

const files: [string, Buffer][] = [
  ['app/.env', Buffer.from(`GITHUB_TOKEN=${token}\n`)],
  // The secret lies past the 8 KiB that tell binary from text, and parts cross that boundary.
  ['app/config.js', Buffer.from(`${'// padding line\n'.repeat(1200)}const t = "${token}";\n`)],
  ['usr/bin/tool', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from(`TOKEN=${token}`)])],
  // A NUL after the first 8 KiB: text to the content rules.
  ['app/data.txt', Buffer.concat([Buffer.alloc(9000, 'a'), Buffer.from([0]), Buffer.from(` ${token}\n`)])],
  // A rule bound to the path, and a file rule by name on a binary file.
  ['home/app/.npmrc', Buffer.from(`//registry.npmjs.org/:_authToken=${npmToken}\n`)],
  ['app/certs/bundle.p12', Buffer.concat([Buffer.from([0x30, 0x82, 0, 0]), Buffer.alloc(10_000, 1)])],
];

describe('SecretFileStream', () => {
  it('gives the facts of the whole file, however the content is split', () => {
    for (const [path, content] of files) {
      const expected = wholeFacts(path, content);
      for (const partBytes of [1, 100, 4096, 8191, 8192, 8193, content.length, content.length + 1]) {
        assert.deepEqual(
          streamed(path, content, partBytes).end(),
          expected,
          `${path} in parts of ${partBytes}`,
        );
      }
    }
    // What the files gave, so the comparison compared findings and not only empty lists.
    assert.deepEqual(
      files.map(([path, content]) => wholeFacts(path, content).length),
      [1, 1, 0, 1, 1, 0],
    );
  });

  it('tells the facts of a hardlink under its own name without the content, where no path-bound rule applies', () => {
    const [path, content] = files[1] as [string, Buffer];
    for (const partBytes of [1000, content.length]) {
      const stream = streamed(path, content, partBytes);
      stream.end();
      assert.deepEqual(stream.linked('srv/other.js'), wholeFacts('srv/other.js', content));
      // A name where other path-bound rules apply: not known without the content.
      assert.equal(stream.linked('home/app/.npmrc'), undefined);
      assert.equal(stream.linked('srv/other.txt'), undefined);
    }
    const binary = streamed('usr/bin/tool', files[2]?.[1] ?? Buffer.alloc(0), 512);
    binary.end();
    assert.deepEqual(binary.linked('usr/bin/tool2'), []);
    assert.equal(binary.linked('app/certs/other.p12'), undefined);
    const npmrcContent = files[4]?.[1] ?? Buffer.alloc(0);
    const npmrc = streamed('home/app/.npmrc', npmrcContent, 7);
    npmrc.end();
    assert.equal(npmrc.linked('srv/npmrc-copy.txt'), undefined);
    assert.deepEqual(npmrc.linked('root/.npmrc'), wholeFacts('root/.npmrc', npmrcContent));
    assert.equal(wholeFacts('root/.npmrc', npmrcContent).length, 1);
  });
});
