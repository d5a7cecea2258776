/**
 * Hostile files for the secret scanner ([4 of 11]): 1 GiB of one line (a sparse blob, so it
 * costs no disk), a huge file under a credential name, and binaries that look like text.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { ociMediaTypes } from '../../test/harness/oci-builder.ts';
import { ociSource, result, type CorpusCase, type CorpusContext } from './corpus-case.ts';
import { writeFileBlob, writeHostileImage, type HostileImage } from './layout-writer.ts';
import { file, rawHeader, sized, tarOf } from './tar-entries.ts';

const MiB = 1024 * 1024;

/** A GitHub token of the documented shape, fixed so the corpus is the same each time. */
const githubToken = `ghp_${'R8kq2ZxV7mWc4LtN9pYb3HdF6sJg1AeQ0uKo'}`;

export async function secretCases(context: CorpusContext): Promise<CorpusCase[]> {
  const cases: CorpusCase[] = [];
  const add = async (entry: CorpusCase, image: HostileImage): Promise<void> => {
    await writeHostileImage(join(context.directory, entry.id), image);
    cases.push(entry);
  };

  // 1 GiB of one line: the start written, the rest a hole; the zeros after it end the tar.
  const huge = 1024 * MiB;
  const oneLine = join(context.directory, 'secret-one-line-1gib');
  const stored = await writeFileBlob(oneLine, async (path) => {
    const handle = await open(path, 'w');
    try {
      await handle.write(rawHeader({ name: 'app/one-line.env', size: huge }), 0, 512, 0);
      await handle.write(Buffer.from(`GITHUB_TOKEN=${githubToken} `), 0, undefined, 512);
      await handle.truncate(512 + huge + 1024);
    } finally {
      await handle.close();
    }
  });
  await add(
    {
      id: 'secret-one-line-1gib',
      attack: '[4 of 11] a file of 1 GiB of one line (a token at its start; over every read cap)',
      source: ociSource('secret-one-line-1gib'),
      expected: result({ diagnostics: ['file_too_large'], secretRules: [], largest: ['app/one-line.env'] }),
    },
    { layers: [{ stored, mediaType: ociMediaTypes.layer }] },
  );
  const credentials = `[default]\naws_access_key_id = AKIAQ7R2LXK5N3WJZ8TB\naws_secret_access_key = ${'k7Qz9Lm2Xv4Rt8Wp1Ny6Hb3Jc5Fd0Gs2Ae7Ui4Oq'}\n`;
  await add(
    {
      id: 'secret-huge-keyword-file',
      attack:
        '[4 of 11] a huge file under a secret keyword: root/.aws/credentials of 20 MiB, keys at its start',
      source: ociSource('secret-huge-keyword-file'),
      // Over the secret scanner's 10 MB cap: not searched, and reported as too large to search.
      expected: result({ diagnostics: ['file_too_large'], secretRules: [] }),
    },
    {
      layers: [
        {
          tar: tarOf(
            file('root/.aws/credentials', Buffer.concat([Buffer.from(credentials), sized(20 * MiB, '#')])),
          ),
        },
      ],
    },
  );
  const binaryEarly = Buffer.concat([
    Buffer.from('\u007fELF'),
    Buffer.alloc(96),
    Buffer.from(`token=${githubToken}\n`),
  ]);
  const textThenBinary = Buffer.concat([
    Buffer.from(`token: ${githubToken}\n`),
    sized(9000, 'a'),
    Buffer.alloc(4096),
  ]);
  await add(
    {
      id: 'secret-binary-looks-like-text',
      attack:
        '[4 of 11] a binary that looks like text: NULs early (skipped as binary) and text for 9 KB before NULs (searched)',
      source: ociSource('secret-binary-looks-like-text'),
      expected: result({ diagnostics: [], secretRules: ['github-classic-pat'] }),
    },
    {
      layers: [{ tar: tarOf(file('usr/bin/tool', binaryEarly), file('opt/app/data.txt', textThenBinary)) }],
    },
  );
  return cases;
}
