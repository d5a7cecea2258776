/**
 * Hostile package databases: rpm headers whose lengths lie, an rpm SQLite database of garbage
 * blobs, a dpkg status with a 50 MB field and one with 50,000 stanzas, an apk database with huge
 * fields. The good packages beside the bad ones must still be found.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { buildPackageBlob } from '../../packages/engine/src/analyzer/rpm/test-fixtures.ts';
import { initLayout } from '../../test/harness/oci-builder.ts';
import { ociSource, result, type CorpusCase, type CorpusContext } from './corpus-case.ts';
import { writeHostileImage, type HostileImage } from './layout-writer.ts';
import { file, tarOf } from './tar-entries.ts';

const MiB = 1024 * 1024;

/** An rpm SQLite database (rpm's own schema) holding the blobs given, written with node:sqlite. */
async function rpmSqlite(scratch: string, blobs: readonly Uint8Array[]): Promise<Buffer> {
  const path = join(scratch, 'rpmdb.sqlite.tmp');
  const database = new DatabaseSync(path);
  database.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
  const insert = database.prepare('INSERT INTO Packages (blob) VALUES (?)');
  for (const blob of blobs) insert.run(blob);
  database.close();
  const bytes = await readFile(path);
  await rm(path, { force: true });
  return bytes;
}

/** A valid header blob with its preamble rewritten: index count and data length that lie. */
function lying(name: string, change: (blob: Buffer) => void): Buffer {
  const blob = Buffer.from(buildPackageBlob({ name, version: '1.0', release: '1', arch: 'noarch' }));
  change(blob);
  return blob;
}

function dpkgStanza(name: string, version: string, description = `package ${name}`): string {
  return `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\nDescription: ${description}\n\n`;
}

export async function packageCases(context: CorpusContext): Promise<CorpusCase[]> {
  const cases: CorpusCase[] = [];
  const add = async (entry: CorpusCase, image: HostileImage): Promise<void> => {
    await writeHostileImage(join(context.directory, entry.id), image);
    cases.push(entry);
  };
  const scratch = join(context.directory, 'rpm-scratch');
  await initLayout(scratch);
  const good = (name: string): Buffer =>
    Buffer.from(buildPackageBlob({ name, version: '1.0', release: '1', arch: 'noarch' }));

  const liars = [
    lying('index-count', (blob) => blob.writeUInt32BE(0x00ffffff, 0)),
    lying('data-length', (blob) => blob.writeUInt32BE(0x7fffffff, 4)),
    lying('entry-offset', (blob) => blob.writeInt32BE(0x7ffffff0, 8 + 16 + 8)),
    lying('entry-count', (blob) => blob.writeUInt32BE(0x7fffffff, 8 + 16 + 12)),
  ];
  await add(
    {
      id: 'rpm-header-lying-lengths',
      attack:
        'rpm headers with lying lengths: index count, data length, an entry offset and count past the blob',
      source: ociSource('rpm-header-lying-lengths'),
      expected: result({
        diagnostics: ['parse_error'],
        packageCount: 2,
        packages: ['rpm good-before 1.0-1', 'rpm good-after 1.0-1'],
      }),
    },
    {
      layers: [
        {
          tar: tarOf(
            file(
              'var/lib/rpm/rpmdb.sqlite',
              await rpmSqlite(scratch, [good('good-before'), ...liars, good('good-after')]),
            ),
          ),
        },
      ],
    },
  );
  await add(
    {
      id: 'rpm-sqlite-garbage-blobs',
      attack: 'an rpm SQLite database whose blobs are garbage (random bytes, empty, one byte)',
      source: ociSource('rpm-sqlite-garbage-blobs'),
      expected: result({ diagnostics: ['parse_error'], packageCount: 1, packages: ['rpm survivor 1.0-1'] }),
    },
    {
      layers: [
        {
          tar: tarOf(
            file(
              'var/lib/rpm/rpmdb.sqlite',
              await rpmSqlite(scratch, [
                randomBytes(4096),
                Buffer.alloc(0),
                Buffer.from([1]),
                good('survivor'),
                randomBytes(64),
              ]),
            ),
          ),
        },
      ],
    },
  );
  const notSqlite = Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), randomBytes(8192)]);
  await add(
    {
      id: 'rpm-sqlite-garbage-file',
      attack: 'an rpmdb.sqlite with the SQLite magic and garbage after it',
      source: ociSource('rpm-sqlite-garbage-file'),
      expected: result({ diagnostics: ['parse_error'], packageCount: 0 }),
    },
    { layers: [{ tar: tarOf(file('var/lib/rpm/rpmdb.sqlite', notSqlite)) }] },
  );
  await rm(scratch, { recursive: true, force: true });

  const hugeDescription = `${'A huge description line. '.repeat(2 * MiB)}\n .\n ${'x'.repeat(MiB)}`;
  await add(
    {
      id: 'dpkg-huge-field',
      attack: 'dpkg status with huge fields: a 50 MB Description',
      source: ociSource('dpkg-huge-field'),
      expected: result({ diagnostics: [], packageCount: 2, packages: ['deb huge 1.0', 'deb small 2.0'] }),
    },
    {
      layers: [
        {
          tar: tarOf(
            file(
              'var/lib/dpkg/status',
              dpkgStanza('huge', '1.0', hugeDescription) + dpkgStanza('small', '2.0'),
            ),
          ),
        },
      ],
    },
  );
  const stanzas = 50_000;
  await add(
    {
      id: 'dpkg-many-stanzas',
      attack: `dpkg status with a huge number of stanzas (${stanzas})`,
      source: ociSource('dpkg-many-stanzas'),
      expected: result({
        diagnostics: [],
        packageCount: stanzas,
        packages: ['deb pkg0 1.0', `deb pkg${stanzas - 1} 1.0`],
      }),
    },
    {
      layers: [
        {
          tar: tarOf(
            file(
              'var/lib/dpkg/status',
              Array.from({ length: stanzas }, (_, i) => dpkgStanza(`pkg${i}`, '1.0')).join(''),
            ),
          ),
        },
      ],
    },
  );
  const apkHuge = [
    `P:huge\nV:1.0-r0\nA:x86_64\nT:${'t'.repeat(50 * MiB)}\nL:MIT\n${Array.from({ length: 100_000 }, (_, i) => `R:file${i}`).join('\n')}\n`,
    'P:small\nV:2.0-r0\nA:x86_64\nT:small package\nL:MIT\n',
  ].join('\n');
  await add(
    {
      id: 'apk-huge-fields',
      attack: 'apk installed database with huge fields: a 50 MB T: line and 100,000 R: lines in one package',
      source: ociSource('apk-huge-fields'),
      expected: result({
        diagnostics: [],
        packageCount: 2,
        packages: ['apk huge 1.0-r0', 'apk small 2.0-r0'],
      }),
    },
    { layers: [{ tar: tarOf(file('lib/apk/db/installed', `${apkHuge}\n`)) }] },
  );
  return cases;
}
