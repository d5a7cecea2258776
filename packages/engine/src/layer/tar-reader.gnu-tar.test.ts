/**
 * Cross-check against GNU tar: archives it writes in each of its formats list the same through
 * TarReader as through `tar -tv`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TarReader, type TarHeader } from './tar-reader.ts';

const scratch = mkdtempSync(join(tmpdir(), 'drydock-tar-reader-'));
const root = join(scratch, 'root');
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Over 100 characters (GNU long name or pax) and, nested, over 255 (no ustar split possible). */
const longDir = `dir-${'d'.repeat(120)}`;
const longFile = `file-${'f'.repeat(140)}.txt`;
const deepDir = join(longDir, `sub-${'s'.repeat(100)}`);

/** A file of holes with a few data runs: more than the four a GNU sparse header holds. */
function writeSparse(path: string): void {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, 64 * 1024 * 1024);
    for (let run = 0; run < 8; run++) writeSync(fd, `run ${run}`, run * 8 * 1024 * 1024);
  } finally {
    closeSync(fd);
  }
}

function buildTree(): void {
  mkdirSync(join(root, deepDir), { recursive: true });
  mkdirSync(join(root, 'empty-dir'));
  writeFileSync(join(root, 'empty'), '');
  writeFileSync(join(root, 'hello.txt'), 'hello\n');
  writeFileSync(join(root, 'block.bin'), Buffer.alloc(512, 1));
  writeFileSync(join(root, longDir, longFile), 'long name\n');
  writeFileSync(join(root, deepDir, longFile), 'deep name\n');
  symlinkSync('hello.txt', join(root, 'link-short'));
  symlinkSync(join(deepDir, longFile), join(root, 'link-long'));
  symlinkSync('../../nowhere', join(root, longDir, 'dangling'));
  linkSync(join(root, 'hello.txt'), join(root, 'hard-short'));
  linkSync(join(root, deepDir, longFile), join(root, longDir, `hard-${'h'.repeat(110)}`));
  execFileSync('mkfifo', [join(root, 'fifo')]);
  writeSparse(join(root, 'sparse.img'));
}

/** One line per entry, as `tar -tv` prints it: type, size, name, link. */
function tarListing(archive: string): string[] {
  const output = execFileSync('tar', ['-tvf', archive, '--numeric-owner'], { encoding: 'utf8' });
  return output
    .trimEnd()
    .split('\n')
    .map((line) => {
      const match = /^(\S)(\S{9}) \S+\s+(\S+) \S+ \S+ (.*)$/.exec(line);
      assert.ok(match, `unexpected tar -tv line: ${line}`);
      const [, type = '', permissions = '', size = '', rest = ''] = match;
      const name = rest.replace(/ (->|link to) .*$/, '');
      const link = rest.slice(name.length).replace(/^ (->|link to) /, '');
      return `${type}${permissions} ${size} ${name}${link === '' ? '' : ` -> ${link}`}`;
    });
}

const typeLetters: Readonly<Record<string, string>> = { '3': 'c', '4': 'b', '6': 'p' };

function typeLetter(header: TarHeader): string {
  switch (header.type) {
    case 'file':
      return '-';
    case 'directory':
      return 'd';
    case 'symlink':
      return 'l';
    case 'hardlink':
      return 'h';
    case 'other':
      return typeLetters[header.typeflag] ?? '?';
  }
}

/** `rwxr-xr-x` with setuid, setgid and sticky bits as `ls` and tar print them. */
function permissions(mode: number): string {
  const bits = ['r', 'w', 'x'];
  let text = '';
  for (let shift = 6; shift >= 0; shift -= 3) {
    for (let bit = 0; bit < 3; bit++) text += (mode >> (shift + 2 - bit)) & 1 ? bits[bit] : '-';
  }
  const special = (index: number, flag: number, set: string): void => {
    if ((mode & flag) === 0) return;
    const executable = text[index] === 'x';
    text = text.slice(0, index) + (executable ? set : set.toUpperCase()) + text.slice(index + 1);
  };
  special(2, 0o4000, 's');
  special(5, 0o2000, 's');
  special(8, 0o1000, 't');
  return text;
}

function readerListing(archive: Buffer): string[] {
  const reader = new TarReader();
  const lines: string[] = [];
  const chunk = 10_000;
  for (let offset = 0; offset < archive.length; offset += chunk) {
    reader.push(archive.subarray(offset, offset + chunk));
    for (let item = reader.next(); item !== undefined; item = reader.next()) {
      if (item.kind !== 'entry') continue;
      const { header } = item;
      const link = header.linkName === '' ? '' : ` -> ${header.linkName}`;
      lines.push(`${typeLetter(header)}${permissions(header.mode)} ${header.size} ${header.name}${link}`);
    }
  }
  reader.end();
  return lines;
}

function hasGnuTar(): boolean {
  try {
    return execFileSync('tar', ['--version'], { encoding: 'utf8' }).includes('GNU tar');
  } catch {
    return false;
  }
}

describe('TarReader against GNU tar', () => {
  it('has GNU tar to compare with (scripts/debian-packages.sh installs it)', () => {
    assert.ok(hasGnuTar());
  });

  before(buildTree);

  for (const format of ['gnu', 'oldgnu', 'pax', 'posix']) {
    it(`lists a ${format} archive as tar -tv does`, () => {
      const archive = join(scratch, `${format}.tar`);
      execFileSync('tar', [`--format=${format}`, '--sparse', '-C', root, '-cf', archive, '.']);
      const expected = tarListing(archive);
      assert.ok(expected.some((line) => line.includes(`${deepDir}/${longFile}`)));
      assert.ok(expected.some((line) => line.startsWith('-rw-r--r-- 67108864 ./sparse.img')));
      assert.deepEqual(readerListing(readFileSync(archive)), expected);
    });
  }

  it('lists ustar and v7 archives of short names as tar -tv does', () => {
    for (const format of ['ustar', 'v7']) {
      const archive = join(scratch, `${format}.tar`);
      execFileSync('tar', [
        `--format=${format}`,
        '-C',
        root,
        '-cf',
        archive,
        'hello.txt',
        'empty',
        'link-short',
        'hard-short',
        'empty-dir',
      ]);
      assert.deepEqual(readerListing(readFileSync(archive)), tarListing(archive), format);
    }
  });
});
