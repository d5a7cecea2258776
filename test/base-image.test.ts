/**
 * The base-image catalogue end to end: two tags of a base image and two applications built on
 * the first, pushed to the real registry; `drydock base add` catalogues the base tags (with their
 * vulnerability counts from real OSV records), and `drydock image` names the base of each
 * application, splits its findings between the base's layers and its own, and points at the tag
 * with fewer vulnerabilities.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ScanReport } from '@drydock/engine';
import { runDrydock, type CliResult } from './harness/drydock-cli.ts';
import { writeOciImage, type FileSpec } from './harness/oci-builder.ts';
import { startRegistry, type TestRegistry } from './harness/registry.ts';
import { pushLayout } from './harness/skopeo.ts';

const osRelease: FileSpec = {
  path: 'etc/os-release',
  content:
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n',
};
/** marked 0.3.5 has an advisory in the Node.js security working group's records (NSWG-ECO-101). */
const baseOne: FileSpec[] = [
  osRelease,
  {
    path: 'usr/lib/node_modules/marked/package.json',
    content: `${JSON.stringify({ name: 'marked', version: '0.3.5', license: 'MIT' })}\n`,
  },
];
const baseTwo: FileSpec[] = [osRelease, { path: 'etc/debian_version', content: '12.8\n' }];

let work: string;
let registry: TestRegistry;
let env: NodeJS.ProcessEnv;

function drydock(args: readonly string[]): Promise<CliResult> {
  return runDrydock(args, { env });
}

async function scanJson(reference: string): Promise<ScanReport> {
  const result = await drydock(['image', '--no-progress', '--format', 'json', reference]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as ScanReport;
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'drydock-base-image-'));
  const cache = join(work, 'cache');
  await mkdir(cache);
  env = { DRYDOCK_CACHE_DIR: cache };
  registry = await startRegistry();
  const records = join(
    import.meta.dirname,
    '..',
    '..',
    'shared',
    'vulndata',
    'nodejs-security-wg',
    'npm.jsonl',
  );
  const imported = await drydock(['db', 'import', records, '--no-progress']);
  assert.equal(imported.code, 0, imported.stderr);
  const layout = join(work, 'layout');
  const images: [string, FileSpec[][]][] = [
    ['base-1', [baseOne]],
    ['base-2', [baseTwo]],
    ['app-1', [baseOne, [{ path: 'srv/app/server.js', content: "console.log('one')\n" }]]],
    [
      'app-2',
      [
        baseOne,
        [
          { path: 'srv/api/main.py', content: 'print(2)\n' },
          { path: 'srv/api/.env', content: 'GITHUB_TOKEN=ghp_Tq7wZ2xR9kL4mN8pV3cB6yH1jD5fG0sA2eK9\n' },
        ],
      ],
    ],
  ];
  for (const [tag, layers] of images) {
    await writeOciImage(layout, tag, {
      layers: layers.map((files, index) => ({ files, compression: 'gzip', createdBy: `layer ${index}` })),
    });
  }
  const push = (tag: string, reference: string) => pushLayout(layout, tag, `${registry.host}/${reference}`);
  await push('base-1', 'library/basenode:1');
  await push('base-2', 'library/basenode:2');
  await push('app-1', 'team/app-one:1.0');
  await push('app-2', 'team/app-two:1.0');
  // Every tag of every repository under library/, listed through the registry's catalog API.
  const added = await drydock(['base', 'add', `${registry.host}/library/*`]);
  assert.equal(added.code, 0, added.stderr);
  assert.match(
    added.stdout,
    /catalogued library\/basenode:1 \(linux\/amd64, 1 layer, Debian GNU\/Linux 12 \(bookworm\), 1 vulnerability\)/,
  );
});

after(async () => {
  await registry?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('base images', () => {
  it('attributes both applications to the base they were built on, and splits their findings', async () => {
    for (const [reference, secrets] of [
      ['team/app-one:1.0', 0],
      ['team/app-two:1.0', 1],
    ] as const) {
      const image = (await scanJson(`${registry.host}/${reference}`)).images[0];
      assert.equal(image?.baseImage?.name, 'library/basenode', reference);
      assert.equal(image.baseImage.tag, '1');
      assert.equal(image.baseImage.layers, 1);
      assert.equal(image.baseImage.wholeImage, false);
      assert.deepEqual(image.baseImage.findings.vulnerabilities, { base: 1, own: 0 });
      assert.deepEqual(image.baseImage.findings.secrets, { base: 0, own: secrets });
      assert.equal(image.baseImage.findings.compliance, undefined, 'compliance was not scanned');
      assert.deepEqual(
        image.baseImage.betterTags.map((better) => better.tag),
        ['2'],
      );
    }
  });

  it('names a base image scanned on its own as the whole image, and none for an unrelated image', async () => {
    const base = (await scanJson(`${registry.host}/library/basenode:2`)).images[0];
    assert.equal(base?.baseImage?.tag, '2');
    assert.equal(base.baseImage.wholeImage, true);
    const other = await drydock(['base', 'remove', 'library/basenode:1']);
    assert.equal(other.code, 0, other.stderr);
    assert.match(other.stdout, /removed 1 entry/);
    const app = (await scanJson(`${registry.host}/team/app-one:1.0`)).images[0];
    assert.equal(app?.baseImage, undefined);
  });

  it('goes on without base images when the default catalogue is unreadable, and fails on a named one', async () => {
    const broken = join(work, 'broken-cache');
    await mkdir(broken);
    await writeFile(join(broken, 'base-images.sqlite'), 'not a catalogue');
    const scan = await runDrydock(
      [
        'image',
        '--no-progress',
        '--format',
        'json',
        '--scanners',
        'inventory',
        `${registry.host}/team/app-one:1.0`,
      ],
      { env: { DRYDOCK_CACHE_DIR: broken } },
    );
    assert.equal(scan.code, 0, scan.stderr);
    assert.match(scan.stderr, /warning: base images not named/);
    assert.equal((JSON.parse(scan.stdout) as ScanReport).images[0]?.baseImage, undefined);
    const named = await drydock([
      'image',
      '--no-progress',
      '--base-catalogue',
      join(broken, 'base-images.sqlite'),
      `${registry.host}/team/app-one:1.0`,
    ]);
    assert.equal(named.code, 2);
    assert.match(named.stderr, /base_image_catalogue_unreadable/);
    const missing = await drydock([
      'image',
      '--no-progress',
      '--base-catalogue',
      join(work, 'none.sqlite'),
      `${registry.host}/team/app-one:1.0`,
    ]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--base-catalogue: no catalogue/);
  });

  it('lists the catalogue and shows the base image in the table', async () => {
    const again = await drydock(['base', 'add', `${registry.host}/library/*`, '--tags', '^1$']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(again.stdout.trim().split('\n').length, 1, again.stdout);
    const list = await drydock(['base', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      list.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(' ')[0]),
      ['library/basenode:1', 'library/basenode:2'],
    );
    const table = await drydock(['image', '--no-progress', `${registry.host}/team/app-two:1.0`]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /Base image\nlibrary\/basenode:1 \(sha256:[0-9a-f]{12}, 1 layer, debian 12\)/);
    assert.match(table.stdout, /Fewer vulnerabilities in library\/basenode:2/);
  });
});
