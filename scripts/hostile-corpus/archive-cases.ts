/**
 * Hostile archives for the malware engine ([4 of 11]): zip bombs (a member too large, a member
 * whose declared size lies), deeply nested archives, member names that climb, and a jar in a jar
 * in a jar. The EICAR test file is the payload the built-in hash engine must find where it is
 * within the bounds.
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildZip, deflatedZeros } from '../../packages/engine/src/analyzer/malware/archive-fixtures.ts';
import { eicarTestString } from '../../packages/engine/src/analyzer/malware/eicar.ts';
import { ociSource, result, type CorpusCase, type CorpusContext } from './corpus-case.ts';
import { writeHostileImage, type HostileImage } from './layout-writer.ts';
import { file, tarOf } from './tar-entries.ts';

const MiB = 1024 * 1024;

/** `levels` zips, each the only member of the next, the innermost holding `payload` as eicar.com. */
function nestedZips(levels: number, payload: string): Buffer {
  let inner = buildZip([{ name: 'eicar.com', content: payload }]);
  for (let level = 1; level < levels; level++)
    inner = buildZip([{ name: `level${level}.zip`, content: inner }]);
  return inner;
}

export async function archiveCases(context: CorpusContext): Promise<CorpusCase[]> {
  const cases: CorpusCase[] = [];
  const add = async (entry: CorpusCase, image: HostileImage): Promise<void> => {
    await writeHostileImage(join(context.directory, entry.id), image);
    cases.push(entry);
  };
  const zeros = await deflatedZeros(256 * MiB);
  // Concatenated gzip members are one gzip stream: 1 MiB of zeros compressed once, repeated.
  const zerosMember = gzipSync(Buffer.alloc(MiB), { level: 9 });

  await add(
    {
      id: 'zip-bomb',
      attack:
        '[4 of 11] zip bombs: a member of 256 MiB of zeros, one that declares 10 bytes and inflates to 256 MiB, EICAR after them',
      source: ociSource('zip-bomb'),
      // The lying member spends the file's whole inflate budget, so the EICAR after it is not examined (bounded by design).
      expected: result({ diagnostics: ['file_too_large', 'archive_budget_exhausted'], malwarePaths: [] }),
    },
    {
      layers: [
        {
          tar: tarOf(
            file(
              'srv/bomb.zip',
              buildZip([
                { name: 'zeros.bin', deflated: zeros },
                { name: 'liar.bin', deflated: zeros, declaredSize: 10 },
                { name: 'eicar.com', content: eicarTestString },
              ]),
            ),
          ),
        },
      ],
    },
  );
  await add(
    {
      id: 'nested-archives',
      attack:
        '[4 of 11] deeply nested archives: EICAR under 12 zips (past the depth bound) and under 2 (within it)',
      source: ociSource('nested-archives'),
      expected: result({
        diagnostics: ['archive_too_deep'],
        malwarePaths: ['srv/shallow.zip!/level1.zip!/eicar.com'],
      }),
    },
    {
      layers: [
        {
          tar: tarOf(
            file('srv/deep.zip', nestedZips(12, eicarTestString)),
            file('srv/shallow.zip', nestedZips(2, eicarTestString)),
          ),
        },
      ],
    },
  );
  await add(
    {
      id: 'zip-path-traversal',
      attack:
        '[4 of 11] archives with path traversal names: ../../../../tmp/NAME and /etc/cron.d/NAME (never written)',
      source: ociSource('zip-path-traversal'),
      expected: result({
        diagnostics: ['archive_unsafe_name'],
        malwarePaths: [`srv/climb.zip!/../../../../tmp/${context.marker}-zip`],
      }),
    },
    {
      layers: [
        {
          tar: tarOf(
            file(
              'srv/climb.zip',
              buildZip([
                { name: `../../../../tmp/${context.marker}-zip`, content: eicarTestString },
                { name: `/etc/cron.d/${context.marker}`, content: '* * * * * root true\n' },
              ]),
            ),
          ),
        },
      ],
    },
  );
  await add(
    {
      id: 'gzip-bomb-file',
      attack:
        '[4 of 11] a gzip bomb as a file for the malware engine: 512 MiB of zeros in 512 gzip members of 1 MiB each',
      source: ociSource('gzip-bomb-file'),
      expected: result({ diagnostics: ['file_too_large'], malwarePaths: [] }),
    },
    {
      layers: [
        { tar: tarOf(file('srv/bomb.gz', Buffer.concat(Array.from({ length: 512 }, () => zerosMember)))) },
      ],
    },
  );
  const innermost = buildZip([{ name: 'eicar.com', content: eicarTestString }]);
  const jar = buildZip([
    { name: 'lib/b.jar', content: buildZip([{ name: 'lib/c.jar', content: innermost }]) },
  ]);
  await add(
    {
      id: 'jar-in-jar-in-jar',
      attack: '[4 of 11] jar in jar in jar: EICAR in c.jar in b.jar in a.jar',
      source: ociSource('jar-in-jar-in-jar'),
      expected: result({ diagnostics: [], malwarePaths: ['app/a.jar!/lib/b.jar!/lib/c.jar!/eicar.com'] }),
    },
    { layers: [{ tar: tarOf(file('app/a.jar', jar)) }] },
  );
  return cases;
}
