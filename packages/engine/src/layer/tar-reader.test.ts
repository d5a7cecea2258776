import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DrydockError } from '../util/errors.ts';
import { packLayer, type FixtureEntry } from './tar-fixtures.ts';
import { base256, dataBlocks, endMarker, extendedHeader, paxRecord, rawFile, rawHeader } from './tar-raw.ts';
import { checkBlock } from './tar-block.ts';
import { maxExtendedHeaderBytes, TarReader, type TarHeader } from './tar-reader.ts';

type Want = 'skip' | 'collect' | 'stream';

const collectCap = 1024 * 1024;

interface ReadEntry {
  readonly header: TarHeader;
  /** The content when it was asked for. */
  readonly content?: string;
}

/**
 * Reads a whole archive pushed in chunks of the given sizes (cycled), asking for the content of
 * every entry as `want` says (sparse entries have none to give). Asserts the reader never yields more than a few items per pushed
 * byte, so a parser loop that does not advance fails instead of hanging.
 */
function readArchive(
  archive: Buffer,
  chunkSizes: readonly number[] = [archive.length || 1],
  want: Want = 'collect',
): ReadEntry[] {
  const reader = new TarReader();
  const entries: ReadEntry[] = [];
  let current: { header: TarHeader; parts: Buffer[] | undefined } | undefined;
  const close = (): void => {
    if (current === undefined) return;
    const { header, parts } = current;
    entries.push(
      parts === undefined ? { header } : { header, content: Buffer.concat(parts).toString('latin1') },
    );
    current = undefined;
  };
  let offset = 0;
  let turn = 0;
  let items = 0;
  while (offset < archive.length) {
    const size = Math.max(1, chunkSizes[turn++ % chunkSizes.length] ?? 1);
    reader.push(archive.subarray(offset, offset + size));
    offset += size;
    for (let item = reader.next(); item !== undefined; item = reader.next()) {
      items++;
      assert.ok(items <= 4 * archive.length + 16, 'the reader yields items without reading bytes');
      if (item.kind === 'entry') {
        close();
        // Collecting allocates the whole size at once: like the walker, the caller bounds it.
        const decision = want === 'collect' && item.header.size > collectCap ? 'stream' : want;
        const readable = decision !== 'skip' && !item.header.sparse;
        current = { header: item.header, parts: readable ? [] : undefined };
        if (readable && decision === 'collect') reader.collect();
        if (readable && decision === 'stream') reader.stream();
        continue;
      }
      assert.ok(current?.parts !== undefined, `a ${item.kind} item for an entry nobody asked for`);
      current.parts.push(Buffer.from(item.data));
      if (item.kind === 'content' || item.last) {
        const parts = current.parts;
        entries.push({ header: current.header, content: Buffer.concat(parts).toString('latin1') });
        current = undefined;
      }
    }
  }
  reader.end();
  close();
  return entries;
}

/** `type name[ -> link] size mode[ = content]`, to compare listings at a glance. */
function describeEntry(entry: ReadEntry): string {
  const { header } = entry;
  const link = header.linkName === '' ? '' : ` -> ${header.linkName}`;
  const sparse = header.sparse ? ' sparse' : '';
  const content = entry.content === undefined ? '' : ` = ${entry.content}`;
  return `${header.type}(${header.typeflag}) ${header.name}${link} ${header.size} ${header.mode.toString(8)}${sparse}${content}`;
}

function blockStarts(archive: Buffer): number[] {
  return Array.from({ length: Math.floor(archive.length / 512) }, (_, index) => index * 512);
}

/** A block whose stored checksum matches its bytes (data blocks practically never do). */
function isHeaderBlock(archive: Buffer, start: number): boolean {
  try {
    return checkBlock(archive, start) === 'header';
  } catch {
    return false;
  }
}

function fixChecksum(archive: Buffer, start: number): void {
  archive.fill(0x20, start + 148, start + 156);
  let sum = 0;
  for (let i = start; i < start + 512; i++) sum += archive[i] ?? 0;
  archive.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, start + 148, 'ascii');
}

function listing(archive: Buffer, chunkSizes?: readonly number[], want?: Want): string[] {
  return readArchive(archive, chunkSizes, want).map(describeEntry);
}

function corrupt(archive: Buffer, chunkSizes?: readonly number[]): DrydockError {
  try {
    readArchive(archive, chunkSizes);
  } catch (error) {
    assert.ok(error instanceof DrydockError, `expected a DrydockError, got ${String(error)}`);
    assert.deepEqual([error.code, error.reason], ['malformed_image', 'corrupt_tar']);
    return error;
  }
  assert.fail('expected the archive to be refused');
}

const fixtureEntries: readonly FixtureEntry[] = [
  { name: 'etc/', type: 'directory' },
  { name: 'etc/os-release', content: 'ID=debian\n' },
  { name: 'empty', content: '' },
  { name: 'block', content: Buffer.alloc(512, 0x61) },
  { name: 'usr/bin/tool', content: 'ELF'.repeat(300), mode: 0o4755 },
  { name: 'usr/bin/sh', type: 'symlink', linkname: 'dash' },
  { name: 'usr/bin/tool2', type: 'link', linkname: 'usr/bin/tool' },
  { name: `${'p'.repeat(120)}/${'q'.repeat(90)}`, content: 'ustar prefix' },
  { name: `deep/${'n'.repeat(300)}/file`, content: 'pax path' },
  { name: 'l', type: 'symlink', linkname: `${'t'.repeat(150)}` },
  { name: 'naïve/ünïcödé', content: 'utf-8' },
  { name: 'dev/pipe', type: 'fifo' },
];

describe('TarReader', () => {
  it('reads ustar and pax archives from tar-stream, content collected, streamed or skipped', async () => {
    const archive = await packLayer(fixtureEntries);
    const entries = listing(archive);
    assert.deepEqual(entries, [
      'directory(5) etc/ 0 755 = ',
      'file(0) etc/os-release 10 644 = ID=debian\n',
      'file(0) empty 0 644 = ',
      `file(0) block 512 644 = ${'a'.repeat(512)}`,
      `file(0) usr/bin/tool 900 4755 = ${'ELF'.repeat(300)}`,
      'symlink(2) usr/bin/sh -> dash 0 644 = ',
      'hardlink(1) usr/bin/tool2 -> usr/bin/tool 0 644 = ',
      `file(0) ${'p'.repeat(120)}/${'q'.repeat(90)} 12 644 = ustar prefix`,
      `file(0) deep/${'n'.repeat(300)}/file 8 644 = pax path`,
      `symlink(2) l -> ${'t'.repeat(150)} 0 644 = `,
      `file(0) naïve/ünïcödé 5 644 = utf-8`,
      'other(6) dev/pipe 0 644 = ',
    ]);
    assert.deepEqual(listing(archive, undefined, 'stream'), entries);
    const skipped = listing(archive, undefined, 'skip');
    assert.deepEqual(
      skipped,
      entries.map((entry) => entry.replace(/ = [^]*$/, '')),
      'a skipped entry yields its header only',
    );
  });

  it('gives identical results whatever the chunk boundaries', async () => {
    const archive = Buffer.concat([
      extendedHeader('g', paxRecord('comment', 'global')),
      extendedHeader('L', `${'L'.repeat(130)}\0`),
      rawFile('short', 'long-named content', { format: 'gnu' }),
      (await packLayer(fixtureEntries)).subarray(0, -1024),
      rawHeader({
        name: 'sparse',
        typeflag: 'S',
        size: 512,
        realSize: 4096,
        format: 'gnu',
        isExtended: true,
      }),
      Buffer.alloc(512).fill(0x30, 0, 11),
      dataBlocks(Buffer.alloc(512, 0x73)),
      rawFile('after-sparse', 'x'.repeat(700)),
      endMarker,
    ]);
    // The sparse extension block above holds one map entry and says no more extensions follow.
    const expected = {
      collect: listing(archive, undefined, 'collect'),
      stream: listing(archive, undefined, 'stream'),
      skip: listing(archive, undefined, 'skip'),
    };
    assert.equal(expected.collect.length, fixtureEntries.length + 3);
    for (const sizes of [[1], [7], [511], [512], [513], [1, 1023, 2], [4096]]) {
      for (const want of ['collect', 'stream', 'skip'] as const) {
        assert.deepEqual(listing(archive, sizes, want), expected[want], `chunks of ${sizes.join(',')}`);
      }
    }
    for (let split = 1; split < archive.length; split++) {
      assert.deepEqual(listing(archive, [split, archive.length]), expected.collect, `split at ${split}`);
    }
  });

  it('collected content is a buffer of its own, whatever happens to the chunks it came in', async () => {
    const archive = await packLayer([{ name: 'etc/app.conf', content: 'x'.repeat(3000) }]);
    for (const size of [archive.length, 700, 1]) {
      const reader = new TarReader();
      const pushed: Buffer[] = [];
      let content: Buffer | undefined;
      for (let offset = 0; offset < archive.length; offset += size) {
        const chunk = Buffer.from(archive.subarray(offset, offset + size));
        pushed.push(chunk);
        reader.push(chunk);
        for (let item = reader.next(); item !== undefined; item = reader.next()) {
          if (item.kind === 'entry') reader.collect();
          else if (item.kind === 'content') content = item.data;
        }
      }
      for (const chunk of pushed) chunk.fill(0);
      assert.equal(content?.toString('latin1'), 'x'.repeat(3000), `chunks of ${size}`);
    }
  });

  it('reads GNU long names, long link names and base-256 sizes', () => {
    const archive = Buffer.concat([
      extendedHeader('L', `${'a/'.repeat(100)}name\0`),
      extendedHeader('K', `${'b/'.repeat(80)}target\0`),
      rawHeader({ name: '././@LongLink', typeflag: '2', linkName: 'short', format: 'gnu' }),
      extendedHeader('L', `${'c'.repeat(200)}\0`),
      rawFile('ignored', 'base-256', { format: 'gnu', sizeField: base256(8n) }),
      rawHeader({ name: 'huge', size: 0, sizeField: base256(9n * 1024n ** 3n), format: 'gnu' }),
    ]);
    const reader = new TarReader();
    reader.push(archive);
    const headers: TarHeader[] = [];
    const contents: string[] = [];
    for (let item = reader.next(); item !== undefined; item = reader.next()) {
      if (item.kind === 'entry') {
        headers.push(item.header);
        if (item.header.name.startsWith('c')) reader.collect();
      } else if (item.kind === 'content') contents.push(item.data.toString());
    }
    assert.deepEqual(
      headers.map((header) => [header.type, header.name, header.linkName, header.size]),
      [
        ['symlink', `${'a/'.repeat(100)}name`, `${'b/'.repeat(80)}target`, 0],
        ['file', 'c'.repeat(200), '', 8],
        ['file', 'huge', '', 9 * 1024 ** 3],
      ],
    );
    assert.deepEqual(contents, ['base-256']);
    // 9 GiB of content are skipped by counting: pushing 8 MiB chunks costs nothing per byte.
    const chunk = Buffer.alloc(8 * 1024 * 1024);
    for (let pushed = 0; pushed < 9 * 1024 ** 3; pushed += chunk.length) {
      reader.push(chunk);
      assert.equal(reader.next(), undefined);
    }
    reader.push(Buffer.concat([rawFile('after-huge', 'ok'), endMarker]));
    const after = reader.next();
    assert.equal(after?.kind === 'entry' && after.header.name, 'after-huge');
    assert.equal(reader.next(), undefined);
    assert.ok(reader.done);
    reader.end();
  });

  it('applies pax per-entry records over global defaults, an empty value deleting both', () => {
    const archive = Buffer.concat([
      extendedHeader('g', paxRecord('path', 'global-default') + paxRecord('comment', 'git archive')),
      rawFile('named-by-global', 'g'),
      extendedHeader(
        'x',
        paxRecord('path', 'from/pax/ünïcödé') +
          paxRecord('linkpath', 'pax-target') +
          paxRecord('mtime', '1700000000.5') +
          paxRecord('size', '3'),
      ),
      rawHeader({ name: 'header-name', typeflag: '0', size: 999 }),
      dataBlocks('abc'),
      extendedHeader('x', paxRecord('path', '')),
      rawFile('header-name-again', 'h'),
      extendedHeader('x', paxRecord('path', 'first') + paxRecord('path', 'second')),
      extendedHeader('x', paxRecord('path', 'third')),
      rawFile('x', 'merged'),
      extendedHeader('g', paxRecord('path', '')),
      rawFile('plain', 'p'),
      endMarker,
    ]);
    assert.deepEqual(listing(archive), [
      'file(0) global-default 1 644 = g',
      'file(0) from/pax/ünïcödé -> pax-target 3 644 = abc',
      'file(0) header-name-again 1 644 = h',
      'file(0) third 6 644 = merged',
      'file(0) plain 1 644 = p',
    ]);
  });

  it('reads GNU sparse files as regular files of their declared size, extension blocks skipped', () => {
    const extension = Buffer.alloc(512);
    extension[504] = 1;
    const lastExtension = Buffer.alloc(512);
    lastExtension.write('00000000001', 0, 'ascii');
    const archive = Buffer.concat([
      rawHeader({
        name: 'holes',
        typeflag: 'S',
        size: 1024,
        realSize: 1 << 20,
        format: 'gnu',
        isExtended: true,
      }),
      extension,
      lastExtension,
      dataBlocks(Buffer.alloc(1024, 0x64)),
      extendedHeader(
        'x',
        paxRecord('GNU.sparse.name', 'pax/holes') + paxRecord('GNU.sparse.realsize', '65536'),
      ),
      rawHeader({ name: './GNUSparseFile.1/holes', size: 512 }),
      dataBlocks('1\n0\n512\n'),
      rawFile('after', 'still in step'),
      endMarker,
    ]);
    assert.deepEqual(listing(archive), [
      `file(S) holes ${1 << 20} 644 sparse`,
      'file(0) pax/holes 65536 644 sparse',
      'file(0) after 13 644 = still in step',
    ]);
    const reader = new TarReader();
    reader.push(archive);
    assert.equal(reader.next()?.kind, 'entry');
    assert.throws(
      () => reader.collect(),
      (error: unknown) => (error as DrydockError).code === 'internal_error',
    );
  });

  it('reads v7 headers, signed checksums, and the typeflags it has no use for', () => {
    const archive = Buffer.concat([
      rawFile('v7/file', 'seven', { format: 'v7', typeflag: '\0' }),
      rawHeader({ name: 'v7/dir/', format: 'v7', typeflag: '\0' }),
      rawFile('signed-\u00ff\u00fe', 'signed', { checksum: 'signed' }),
      rawHeader({ name: 'dev/null', typeflag: '3' }),
      rawHeader({ name: 'dev/sda', typeflag: '4' }),
      rawHeader({ name: 'dir-with-size', typeflag: '5', size: 4096 }),
      rawHeader({ name: 'link-with-size', typeflag: '1', size: 100, linkName: 'v7/file' }),
      rawFile('contiguous', 'c', { typeflag: '7' }),
      rawFile('vendor', 'vendor data', { typeflag: 'Z' }),
      rawHeader({ name: 'volume', typeflag: 'V', format: 'gnu' }),
      rawFile('mode', 'm', { patch: [{ offset: 100, bytes: Buffer.from('garbage!') }] }),
      rawFile('spaced', 's', { patch: [{ offset: 124, bytes: Buffer.from('          1 ') }] }),
      endMarker,
    ]);
    assert.deepEqual(listing(archive), [
      'file(\0) v7/file 5 644 = seven',
      'directory(\0) v7/dir/ 0 644 = ',
      'file(0) signed-ÿþ 6 644 = signed',
      'other(3) dev/null 0 644 = ',
      'other(4) dev/sda 0 644 = ',
      'directory(5) dir-with-size 0 644 = ',
      'hardlink(1) link-with-size -> v7/file 0 644 = ',
      'file(7) contiguous 1 644 = c',
      'other(Z) vendor 11 644 = vendor data',
      'file(0) mode 1 0 = m',
      'file(0) spaced 1 644 = s',
    ]);
  });

  it('ends at two zero blocks or at the end of input on a header boundary, ignoring what follows', async () => {
    const archive = await packLayer([{ name: 'a', content: 'a' }]);
    const expected = ['file(0) a 1 644 = a'];
    assert.deepEqual(listing(archive), expected);
    assert.deepEqual(listing(archive.subarray(0, 1024)), expected, 'no end marker');
    assert.deepEqual(listing(archive.subarray(0, 1536)), expected, 'one zero block');
    const trailing = Buffer.concat([archive, Buffer.from('garbage after the end '.repeat(100))]);
    assert.deepEqual(listing(trailing), expected);
    const loneZero = Buffer.concat([archive.subarray(0, 1024), Buffer.alloc(512), rawFile('b', 'b')]);
    assert.deepEqual(listing(loneZero), [...expected, 'file(0) b 1 644 = b'], 'a lone zero block is skipped');
    assert.deepEqual(listing(Buffer.alloc(0)), []);
    assert.deepEqual(listing(Buffer.alloc(10240)), []);
  });

  it('refuses truncated archives, bad checksums and impossible fields with corrupt_tar', async () => {
    const archive = await packLayer([{ name: 'a', content: 'a'.repeat(700) }]);
    for (const end of [100, 511, 512, 700, 1535]) corrupt(archive.subarray(0, end));
    corrupt(Buffer.from('this is not a tar file at all '.repeat(40)));
    corrupt(rawFile('bad', 'x', { checksum: 'bad' }));
    const unreadableChecksum = rawFile('bad', 'x');
    unreadableChecksum.write('xyz', 148, 'ascii');
    corrupt(unreadableChecksum);
    corrupt(rawFile('bad', 'x', { patch: [{ offset: 124, bytes: Buffer.from('0000000009x\0') }] }));
    corrupt(rawFile('negative', 'x', { sizeField: Buffer.from([0xff, ...Array<number>(11).fill(0xff)]) }));
    corrupt(rawFile('unsafe', 'x', { sizeField: Buffer.from([0x80, ...Array<number>(11).fill(0xff)]) }));
    corrupt(Buffer.concat([extendedHeader('x', paxRecord('size', '-1')), rawFile('a', 'a'), endMarker]));
    corrupt(Buffer.concat([extendedHeader('x', '5 a=b'), rawFile('a', 'a'), endMarker]));
    corrupt(Buffer.concat([extendedHeader('x', '8 nokey\n'), rawFile('a', 'a'), endMarker]));
    corrupt(Buffer.concat([extendedHeader('x', '99 path=x\n'), rawFile('a', 'a'), endMarker]));
    corrupt(Buffer.concat([extendedHeader('x', 'x path=x\n'), rawFile('a', 'a'), endMarker]));
    corrupt(Buffer.concat([extendedHeader('x', paxRecord('path', 'orphan')), endMarker]));
    corrupt(extendedHeader('L', 'orphan\0'));
    const huge = maxExtendedHeaderBytes + 1;
    const error = corrupt(rawHeader({ name: 'pax', typeflag: 'x', size: huge }));
    assert.match(error.message, /extended header of 1048577 bytes/);
    corrupt(rawHeader({ name: '././@LongLink', typeflag: 'L', size: huge, format: 'gnu' }));
  });

  it('never fails with anything but corrupt_tar, nor loops, on damaged archives', async () => {
    const archive = Buffer.concat([
      extendedHeader('g', paxRecord('comment', 'c')),
      extendedHeader('L', `${'L'.repeat(120)}\0`),
      rawFile('gnu', 'g', { format: 'gnu' }),
      rawHeader({
        name: 'sparse',
        typeflag: 'S',
        size: 512,
        realSize: 4096,
        format: 'gnu',
        isExtended: true,
      }),
      Buffer.alloc(512),
      dataBlocks('s'),
      rawFile('v7', 'v', { format: 'v7' }),
      (await packLayer(fixtureEntries)).subarray(0, -1024),
    ]);
    const headerBlocks = blockStarts(archive).filter((start) => isHeaderBlock(archive, start));
    assert.ok(headerBlocks.length >= fixtureEntries.length + 5);
    const run = (damaged: Buffer, chunk: number, want: Want): void => {
      try {
        readArchive(damaged, [chunk], want);
      } catch (error) {
        if (!(error instanceof DrydockError)) throw error;
        assert.deepEqual([error.code, error.reason], ['malformed_image', 'corrupt_tar']);
      }
    };
    const mutation = fc.record({ at: fc.nat(archive.length - 1), byte: fc.integer({ min: 0, max: 255 }) });
    const options = fc.tuple(
      fc.integer({ min: 1, max: 2000 }),
      fc.constantFrom<Want>('collect', 'stream', 'skip'),
    );
    // Anywhere, checksums left as they are: most damage is caught by a checksum.
    fc.assert(
      fc.property(
        fc.array(mutation, { minLength: 1, maxLength: 8 }),
        fc.nat(archive.length),
        options,
        (mutations, cut, [chunk, want]) => {
          const damaged = Buffer.from(archive.subarray(0, Math.max(cut, 1)));
          for (const { at, byte } of mutations) if (at < damaged.length) damaged[at] = byte;
          run(damaged, chunk, want);
        },
      ),
      { numRuns: 2000 },
    );
    // Inside headers, checksums fixed up afterwards: the fields themselves must be distrusted.
    const inHeader = fc.record({
      block: fc.constantFrom(...headerBlocks),
      offset: fc.nat(511),
      byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x00, 0x20, 0x30, 0x37, 0x80, 0xff)),
    });
    fc.assert(
      fc.property(fc.array(inHeader, { minLength: 1, maxLength: 6 }), options, (mutations, [chunk, want]) => {
        const damaged = Buffer.from(archive);
        for (const { block, offset, byte } of mutations) damaged[block + offset] = byte;
        for (const block of new Set(mutations.map((mutation) => mutation.block))) fixChecksum(damaged, block);
        run(damaged, chunk, want);
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips whatever tar-stream packs', async () => {
    const segment = fc.stringMatching(/^[a-zA-Z0-9._ é漢-]{1,40}$/).filter((s) => s !== '.' && s !== '..');
    const name = fc.array(segment, { minLength: 1, maxLength: 12 }).map((parts) => parts.join('/'));
    const entry = fc.oneof(
      fc.record({
        name,
        type: fc.constant('file' as const),
        content: fc.uint8Array({ maxLength: 1500 }).map((bytes) => Buffer.from(bytes)),
        mode: fc.integer({ min: 1, max: 0o7777 }),
      }),
      fc.record({ name, type: fc.constant('directory' as const), mode: fc.integer({ min: 1, max: 0o7777 }) }),
      fc.record({ name, type: fc.constantFrom('symlink' as const, 'link' as const), linkname: name }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { maxLength: 12 }),
        fc.integer({ min: 1, max: 1500 }),
        async (entries: FixtureEntry[], chunk) => {
          const archive = await packLayer(entries);
          const read = readArchive(archive, [chunk], 'collect');
          const types: Readonly<Record<string, string>> = {
            file: 'file',
            directory: 'directory',
            symlink: 'symlink',
            link: 'hardlink',
          };
          assert.deepEqual(
            read.map(({ header, content }) => ({
              name: header.type === 'directory' ? header.name.replace(/\/$/, '') : header.name,
              type: header.type,
              linkName: header.linkName,
              content: header.type === 'file' ? content : undefined,
            })),
            entries.map((fixture) => ({
              name: fixture.name,
              type: types[fixture.type ?? 'file'],
              linkName: fixture.linkname ?? '',
              content:
                fixture.type === 'file' && Buffer.isBuffer(fixture.content)
                  ? fixture.content.toString('latin1')
                  : undefined,
            })),
          );
          for (const [index, fixture] of entries.entries()) {
            if (fixture.mode !== undefined) assert.equal(read[index]?.header.mode, fixture.mode);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
