import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { tarFromFiles, type FileSpec } from '../../../../../test/harness/oci-builder.ts';
import { isDrydockError } from '../../util/errors.ts';
import {
  indexTar,
  normaliseMemberName,
  resolveMember,
  type PositionalReader,
  type TarIndex,
} from './tar-index.ts';

/** A reader over bytes that counts what the indexer reads. */
function reader(bytes: Buffer): PositionalReader & { bytesRead: number } {
  return {
    bytesRead: 0,
    async read(buffer, offset, length, position) {
      const slice = bytes.subarray(position, position + length);
      slice.copy(buffer, offset);
      this.bytesRead += slice.length;
      return { bytesRead: slice.length };
    },
  };
}

async function index(bytes: Buffer): Promise<TarIndex> {
  return indexTar(reader(bytes), bytes.length, { maxMembers: 1000 });
}

function content(bytes: Buffer, idx: TarIndex, name: string): string | undefined {
  const member = resolveMember(idx, name);
  return member ? bytes.subarray(member.offset, member.offset + member.size).toString() : undefined;
}

async function rejectsWith(promise: Promise<unknown>, code: string, reason?: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isDrydockError(error), `expected a DrydockError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (reason) assert.equal(error.reason, reason);
    return true;
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'drydock-tar-index-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('indexTar', () => {
  it('indexes members with their data offsets and normalised names', async () => {
    const bytes = await tarFromFiles([
      { path: 'dir', type: 'dir' },
      { path: 'dir/a.txt', content: 'alpha' },
      { path: '/abs.txt', content: 'absolute' },
      { path: 'dir/link', type: 'symlink', linkTarget: 'a.txt' },
      { path: 'hard', type: 'hardlink', linkTarget: 'dir/a.txt' },
    ]);
    const idx = await index(bytes);
    assert.deepEqual([...idx.members.keys()].sort(), ['abs.txt', 'dir', 'dir/a.txt', 'dir/link', 'hard']);
    assert.equal(content(bytes, idx, 'dir/a.txt'), 'alpha');
    assert.equal(content(bytes, idx, './dir//a.txt'), 'alpha');
    assert.equal(content(bytes, idx, 'abs.txt'), 'absolute');
    assert.equal(content(bytes, idx, 'dir/link'), 'alpha', 'symlinks resolve relative to their directory');
    assert.equal(content(bytes, idx, 'hard'), 'alpha', 'hardlinks resolve to their target');
    assert.equal(idx.members.get('dir')?.type, 'directory');
  });

  it('skips file data without reading it', async () => {
    const big = Buffer.alloc(8 << 20, 7);
    const bytes = await tarFromFiles([
      { path: 'big.bin', content: big },
      { path: 'small', content: 'x' },
    ]);
    const counting = reader(bytes);
    const idx = await indexTar(counting, bytes.length, { maxMembers: 10 });
    assert.equal(idx.members.get('big.bin')?.size, big.length);
    assert.ok(counting.bytesRead < 8 * 1024, `read ${counting.bytesRead} bytes`);
  });

  it('reads GNU long names and PAX paths (GNU tar and tar-stream)', async () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(130)}.txt`;
    const root = join(scratch, 'long');
    mkdirSync(join(root, 'd'.repeat(120)), { recursive: true });
    writeFileSync(join(root, long), 'long');
    for (const format of ['gnu', 'pax', 'ustar']) {
      if (format === 'ustar') continue; // ustar cannot hold a 130-character component
      const bytes = execFileSync('tar', [`--format=${format}`, '-C', root, '-cf', '-', '.']);
      const idx = await index(bytes);
      assert.equal(content(bytes, idx, long), 'long', format);
    }
    const paxName = `${'p'.repeat(150)}.txt`;
    const bytes = await tarFromFiles([{ path: paxName, content: 'pax' }]);
    assert.equal(content(bytes, await index(bytes), paxName), 'pax');
  });

  it('leaves out names that climb out of the archive and never resolves links outside it', async () => {
    const bytes = await tarFromFiles([
      { path: '../evil', content: 'evil' },
      { path: 'a/../../evil2', content: 'evil' },
      { path: 'ok', content: 'ok' },
      { path: 'up', type: 'symlink', linkTarget: '../../../etc/passwd' },
      { path: 'abs', type: 'symlink', linkTarget: '/etc/passwd' },
      { path: 'hard-out', type: 'hardlink', linkTarget: '../ok' },
      { path: 'loop', type: 'symlink', linkTarget: 'loop' },
    ]);
    const idx = await index(bytes);
    assert.deepEqual([...idx.rejected].sort(), ['../evil', 'a/../../evil2']);
    assert.equal(resolveMember(idx, '../evil'), undefined);
    assert.equal(resolveMember(idx, 'up'), undefined);
    assert.equal(
      resolveMember(idx, 'abs'),
      undefined,
      'an absolute target means the archive root, where there is no etc/passwd',
    );
    assert.equal(resolveMember(idx, 'hard-out'), undefined);
    assert.equal(resolveMember(idx, 'loop'), undefined);
    assert.equal(content(bytes, idx, 'ok'), 'ok');
  });

  it('fails on truncated archives and corrupt headers', async () => {
    const bytes = await tarFromFiles([
      { path: 'a', content: Buffer.alloc(5000, 1) },
      { path: 'b', content: 'b' },
    ]);
    await rejectsWith(index(bytes.subarray(0, 2000)), 'malformed_image', 'truncated_archive');
    await rejectsWith(index(bytes.subarray(0, 512 * 11 + 100)), 'malformed_image', 'truncated_archive');
    const corrupt = Buffer.from(bytes);
    corrupt[10] = 0x41;
    await rejectsWith(index(corrupt), 'malformed_image', 'invalid_tar_header');
    await rejectsWith(
      index(Buffer.from('{"not":"a tar"}'.padEnd(1024, ' '))),
      'malformed_image',
      'invalid_tar_header',
    );
  });

  it('accepts an archive without its end-of-archive blocks', async () => {
    const bytes = await tarFromFiles([{ path: 'a', content: 'x' }]);
    const idx = await index(bytes.subarray(0, 1024));
    assert.equal(content(bytes, idx, 'a'), 'x');
  });

  it('stops at the member limit', async () => {
    const bytes = await tarFromFiles(Array.from({ length: 5 }, (_, i) => ({ path: `f${i}`, content: 'x' })));
    await rejectsWith(indexTar(reader(bytes), bytes.length, { maxMembers: 3 }), 'too_many_files');
  });

  it('finds every file of any archive at its offset (property)', async () => {
    const segment = fc.stringMatching(/^[a-z0-9._-]{1,40}$/).filter((s) => s !== '.' && s !== '..');
    const file = fc.record({
      path: fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/')),
      content: fc.uint8Array({ maxLength: 2000 }).map((array) => Buffer.from(array)),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(file, { selector: (f) => f.path, maxLength: 12 }),
        async (files: FileSpec[]) => {
          const bytes = await tarFromFiles(files);
          const idx = await index(bytes);
          for (const spec of files) {
            const member = idx.members.get(spec.path);
            assert.ok(member, spec.path);
            assert.deepEqual(bytes.subarray(member.offset, member.offset + member.size), spec.content);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('normaliseMemberName', () => {
  it('drops ./, leading / and empty segments; refuses ..', () => {
    assert.equal(normaliseMemberName('./blobs/sha256/ab'), 'blobs/sha256/ab');
    assert.equal(normaliseMemberName('/x//y/./z/'), 'x/y/z');
    assert.equal(normaliseMemberName('a/../b'), undefined);
    assert.equal(normaliseMemberName('a\0b'), undefined);
  });
});
