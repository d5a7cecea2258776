/**
 * Hostile layers for the walk ([1 of 11]): names that climb or are absolute, links out of the
 * root and in loops, whiteout tricks, duplicates, and a million empty files. Each writes its own
 * OCI layout; names that try to escape carry the marker, so a test can look for them outside.
 */
import { join } from 'node:path';
import { manyEmptyFilesTar } from '../../packages/engine/src/layer/tar-fixtures.ts';
import { createGzip } from 'node:zlib';
import { ociMediaTypes } from '../../test/harness/oci-builder.ts';
import { failure, ociSource, result, type CorpusCase, type CorpusContext } from './corpus-case.ts';
import { writeHostileImage, writeStreamBlob, type HostileImage } from './layout-writer.ts';
import {
  alpineOsRelease,
  debianOsRelease,
  directory,
  file,
  hardlink,
  sized,
  symlink,
  tarOf,
} from './tar-entries.ts';

export async function layerWalkCases(context: CorpusContext): Promise<CorpusCase[]> {
  const { marker } = context;
  const cases: CorpusCase[] = [];
  const add = async (entry: CorpusCase, image: HostileImage): Promise<void> => {
    await writeHostileImage(join(context.directory, entry.id), image);
    cases.push(entry);
  };

  await add(
    {
      id: 'traversal-dotdot',
      attack: '[1 of 11] path traversal: an entry named ../../../../tmp/NAME',
      source: ociSource('traversal-dotdot'),
      expected: result({
        os: 'alpine 3.19.1',
        diagnostics: ['path_traversal'],
        largest: [`tmp/${marker}-traversal`],
      }),
    },
    {
      layers: [
        {
          tar: tarOf(
            file(`../../../../../../tmp/${marker}-traversal`, sized(700)),
            file('etc/os-release', alpineOsRelease),
          ),
        },
      ],
    },
  );

  await add(
    {
      id: 'absolute-name',
      attack: '[1 of 11] absolute path: an entry named /tmp/NAME',
      source: ociSource('absolute-name'),
      expected: result({ os: null, diagnostics: ['absolute_path'], largest: [`tmp/${marker}-absolute`] }),
    },
    { layers: [{ tar: tarOf(file(`/tmp/${marker}-absolute`, sized(600))) }] },
  );

  await add(
    {
      id: 'traversal-through-symlinked-directory',
      attack:
        '[1 of 11] path traversal via a symlinked directory: escape -> ../../../../tmp in one layer, escape/NAME in the next',
      source: ociSource('traversal-through-symlinked-directory'),
      // Known gap: extraction would follow the link (clamped, so to tmp/NAME in the root); Drydock
      // files the entry lexically under escape/. Either way it stays inside the image.
      expected: result({ os: null, diagnostics: ['link_escape'], files: 1 }),
    },
    {
      layers: [
        { tar: tarOf(symlink('escape', '../../../../../../tmp')) },
        { tar: tarOf(file(`escape/${marker}-through-link`, sized(500))) },
      ],
    },
  );

  await add(
    {
      id: 'symlink-escape',
      attack:
        '[1 of 11] symlinks outside the root (../../etc/shadow, /etc/passwd); etc/os-release links out and back in',
      source: ociSource('symlink-escape'),
      expected: result({ os: 'debian 12', diagnostics: ['link_escape'] }),
    },
    {
      layers: [
        {
          tar: tarOf(
            symlink('etc/escape-link', '../../../../../../etc/shadow'),
            symlink('etc/absolute-link', '/etc/passwd'),
            symlink('etc/os-release', '../../../../../../usr/lib/os-release'),
            file('usr/lib/os-release', debianOsRelease),
          ),
        },
      ],
    },
  );

  await add(
    {
      id: 'hardlink-escape',
      attack: '[1 of 11] hard links outside the root: etc/hard -> ../../../../etc/passwd',
      source: ociSource('hardlink-escape'),
      expected: result({ os: null, diagnostics: ['link_escape', 'hardlink_target_missing'] }),
    },
    { layers: [{ tar: tarOf(hardlink('etc/hard', '../../../../../../etc/passwd')) }] },
  );

  await add(
    {
      id: 'link-loop',
      attack: '[1 of 11] link loops: a -> b -> a, a directory linking to itself, os-release into the loop',
      source: ociSource('link-loop'),
      // Nothing reads through the loop (os-release is wanted by path, not resolved): no OS, no spin.
      expected: result({ os: null, diagnostics: [] }),
    },
    {
      layers: [
        {
          tar: tarOf(
            symlink('loop/a', 'b'),
            symlink('loop/b', 'a'),
            symlink('loop/self', '.'),
            symlink('loop/up', '../loop/up'),
            symlink('etc/os-release', '../loop/a'),
          ),
        },
      ],
    },
  );

  await add(
    {
      id: 'whiteout-of-parent',
      attack: '[1 of 11] whiteout tricks: .wh.etc removes the parent of os-release; ../../.wh.usr climbs',
      source: ociSource('whiteout-of-parent'),
      expected: result({
        os: null,
        diagnostics: ['path_traversal'],
        largest: ['opt/kept'],
        absent: ['etc/passwd', 'usr/lib/big'],
      }),
    },
    {
      layers: [
        {
          tar: tarOf(
            file('etc/os-release', alpineOsRelease),
            file('etc/passwd', sized(900)),
            file('usr/lib/big', sized(800)),
            file('opt/kept', sized(300)),
          ),
        },
        { tar: tarOf(file('.wh.etc', ''), file('../../.wh.usr', '')) },
      ],
    },
  );

  await add(
    {
      id: 'opaque-whiteout',
      attack:
        '[1 of 11] opaque whiteouts: etc/.wh..wh..opq hides the lower etc, a root-level one hides everything',
      source: ociSource('opaque-whiteout'),
      expected: result({
        os: 'debian 12',
        diagnostics: [],
        largest: ['etc/new', 'etc/os-release'],
        absent: ['etc/old', 'opt/lower'],
        files: 2,
      }),
    },
    {
      layers: [
        {
          tar: tarOf(
            file('etc/os-release', alpineOsRelease),
            file('etc/old', sized(900)),
            file('opt/lower', sized(800)),
          ),
        },
        { tar: tarOf(file('etc/.wh..wh..opq', ''), file('etc/new', sized(400))) },
        {
          tar: tarOf(
            file('.wh..wh..opq', ''),
            file('etc/new', sized(400)),
            file('etc/os-release', debianOsRelease),
          ),
        },
      ],
    },
  );

  await add(
    {
      id: 'duplicate-entries',
      attack:
        '[1 of 11] duplicate entries: os-release twice (the last wins), a directory then a file of one name',
      source: ociSource('duplicate-entries'),
      expected: result({ os: 'debian 12', diagnostics: [], largest: ['opt/thing'], files: 2 }),
    },
    {
      layers: [
        {
          tar: tarOf(
            file('etc/os-release', alpineOsRelease),
            file('etc/os-release', debianOsRelease),
            directory('opt/thing'),
            file('opt/thing', sized(300)),
          ),
        },
      ],
    },
  );

  const stanza = (name: string): string =>
    `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0\n\n`;
  await add(
    {
      id: 'duplicate-package-databases',
      attack:
        '[1 of 11] duplicate entries: dpkg status and apk installed twice in one layer (only the later copies exist once extracted)',
      source: ociSource('duplicate-package-databases'),
      expected: result({
        os: null,
        diagnostics: [],
        packageCount: 2,
        packages: ['deb second 1.0', 'apk two 2-r0'],
        files: 2,
      }),
    },
    {
      layers: [
        {
          tar: tarOf(
            file('var/lib/dpkg/status', stanza('first')),
            file('lib/apk/db/installed', 'P:one\nV:1-r0\n\n'),
            file('var/lib/dpkg/status', stanza('second')),
            file('lib/apk/db/installed', 'P:two\nV:2-r0\n\n'),
          ),
        },
      ],
    },
  );

  const million = join(context.directory, 'million-empty-files');
  const stored = await writeStreamBlob(million, manyEmptyFilesTar(1_000_000).pipe(createGzip({ level: 1 })));
  await add(
    {
      id: 'million-empty-files',
      attack: '[1 of 11] a layer with a million empty files (bounded memory)',
      source: ociSource('million-empty-files'),
      // The walk and the merged filesystem are what this attacks; hashing a million empty files is not.
      args: ['--scanners', 'inventory'],
      expected: result({ os: null, diagnostics: [], files: 1_000_000 }),
    },
    { layers: [{ stored, mediaType: ociMediaTypes.layerGzip }] },
  );

  await add(
    {
      id: 'layer-not-tar',
      attack: '[1 of 11] a layer blob that is neither compressed nor a tar',
      source: ociSource('layer-not-tar'),
      expected: failure('malformed_image', 'corrupt_tar'),
    },
    {
      layers: [
        { blob: Buffer.from('this is not a tar archive\n'.repeat(40)), mediaType: ociMediaTypes.layer },
      ],
    },
  );

  return cases;
}
