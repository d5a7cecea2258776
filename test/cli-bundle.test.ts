/**
 * The CLI's bundle (packages/cli/bin/bundle.js, scripts/build-cli.mjs): when the launcher takes it
 * (its manifest names every source that went in and none changed since), and that the bundle built
 * here scans an image exactly as the TypeScript sources do, its worker-thread entry points included.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Piscina } from 'piscina';
import type { ScanReport } from '@drydock/engine';
import { isBundleCurrent, manifestName } from '../packages/cli/bin/bundle.js';
import { writeOciImage } from './harness/oci-builder.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
/** A token of GitHub's format, not a published example, so the secret rules report it. */
const githubToken = 'ghp_R7mZ2qLx9VbN4tKc8WfY1sHd6PgJ3aEu0XoQ';

describe('whether the launcher takes the bundle', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drydock-bundle-manifest-'));
    await writeFile(join(dir, 'a.ts'), 'export const a = 1;\n');
    await writeFile(join(dir, 'b.ts'), 'export const b = 2;\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const manifest = (builtAt: number, inputs: readonly string[]): Promise<void> =>
    writeFile(join(dir, manifestName), JSON.stringify({ builtAt, inputs }));

  it('is current while no source changed since the build began', async () => {
    await manifest(Date.now() + 60_000, ['a.ts', 'b.ts']);
    assert.equal(isBundleCurrent(dir), true);
  });

  it('is stale once a source is newer than the build, or gone', async () => {
    const builtAt = Date.now() + 60_000;
    await manifest(builtAt, ['a.ts', 'b.ts']);
    const later = new Date(builtAt + 1_000);
    await utimes(join(dir, 'b.ts'), later, later);
    assert.equal(isBundleCurrent(dir), false, 'an edited source');
    await manifest(builtAt + 10_000, ['a.ts', 'b.ts', 'deleted.ts']);
    assert.equal(isBundleCurrent(dir), false, 'a deleted source');
  });

  it('is stale without a manifest, or with one it cannot read', async () => {
    await rm(join(dir, manifestName), { force: true });
    assert.equal(isBundleCurrent(dir), false, 'no manifest');
    await writeFile(join(dir, manifestName), '{"builtAt": "yesterday"');
    assert.equal(isBundleCurrent(dir), false, 'truncated JSON');
    await writeFile(join(dir, manifestName), JSON.stringify({ builtAt: 'yesterday', inputs: [] }));
    assert.equal(isBundleCurrent(dir), false, 'builtAt not a time');
  });
});

describe('the bundle as scripts/build-cli.mjs builds it', () => {
  let work: string;
  let bundle: string;
  let layout: string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'drydock-bundle-'));
    // Inside the repository, as packages/cli/dist is: third-party imports resolve from node_modules.
    bundle = await mkdtemp(join(root, 'packages', 'cli', '.bundle-test-'));
    await run(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), bundle]);
    const { stdout: shadowHash } = await run('mkpasswd', ['-m', 'sha-512', 'letmein', 'Qw3rtyS4lt']);
    layout = join(work, 'layout');
    await writeOciImage(layout, 'v1', {
      layers: [
        {
          files: [
            { path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian 12"\n' },
            {
              path: 'etc/passwd',
              content: 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n',
            },
            {
              path: 'etc/shadow',
              content: `root:*:19000:0:99999:7:::\nalice:${shadowHash.trim()}:19000:0:90:7:::\n`,
              mode: 0o640,
            },
            { path: 'srv/app/.env', content: `GITHUB_TOKEN=${githubToken}\n` },
            {
              path: 'srv/app/node_modules/left-pad/package.json',
              content: JSON.stringify({ name: 'left-pad', version: '1.3.0', license: 'MIT' }),
            },
          ],
        },
      ],
    });
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
    await rm(bundle, { recursive: true, force: true });
  });

  it('names the sources that went into it, and is current right after the build', async () => {
    const manifest = JSON.parse(await readFile(join(bundle, manifestName), 'utf8')) as {
      readonly inputs: readonly string[];
    };
    const inputs = manifest.inputs.map((input) => join(bundle, input));
    for (const source of [
      'packages/cli/src/main.ts',
      'packages/engine/src/analyzer/secret/secret-worker.ts',
      'packages/engine/src/check/weak-password/weak-password-worker.ts',
      'packages/server/src/index.ts',
    ])
      assert.ok(inputs.includes(join(root, source)), source);
    assert.ok(
      inputs.every((input) => !input.includes('node_modules')),
      'third-party packages stay outside',
    );
    assert.equal(isBundleCurrent(bundle), true);
  });

  it('scans an image to the same report as the sources, weak passwords and secrets included', async () => {
    const scanners = 'inventory,secret,baseline,malware';
    const args = ['image', '--no-progress', '--format', 'json', '--scanners', scanners, `oci:${layout}:v1`];
    const env = { ...process.env, NO_COLOR: '1', DRYDOCK_CACHE_DIR: join(work, 'cache') };
    const [fromBundle, fromSources] = await Promise.all([
      run(process.execPath, [join(bundle, 'drydock.js'), ...args], { env, maxBuffer: 1 << 24 }),
      run(process.execPath, ['--import', 'tsx', join(root, 'packages/cli/src/main.ts'), ...args], {
        env,
        maxBuffer: 1 << 24,
      }),
    ]);
    // The same but for the time each scan took and when the report was made.
    const volatile = new Set(['durationMs', 'createdAt']);
    const comparable = (stdout: string): ScanReport =>
      JSON.parse(stdout, (key, value: unknown) => (volatile.has(key) ? undefined : value)) as ScanReport;
    const report = comparable(fromBundle.stdout);
    assert.deepEqual(report, comparable(fromSources.stdout));
    const image = report.images[0];
    assert.equal(image?.secrets?.length, 1, 'the token in .env');
    const weak = image?.baseline?.checks.find((check) => check.id === 'weak-password');
    assert.equal(weak?.result, 'fail', 'the weak password, found in the weak-password worker thread');
    assert.ok(image?.packages.some((pkg) => pkg.name === 'left-pad'));
  });

  it("runs the secret rules in the bundle's worker thread", async () => {
    const pool = new Piscina({
      filename: pathToFileURL(join(bundle, 'secret-worker.js')).href,
      workerData: { config: {} },
      maxThreads: 1,
    });
    try {
      const content = Buffer.from(`GITHUB_TOKEN=${githubToken}\n`);
      const bytes = new Uint8Array(content).buffer;
      const [result] = (await pool.run(
        { paths: ['srv/app/.env'], ends: [content.length], bytes },
        { transferList: [bytes] },
      )) as { matches: { ruleId: string }[] }[];
      assert.equal(result?.matches.length, 1);
      assert.match(result?.matches[0]?.ruleId ?? '', /github/);
    } finally {
      await pool.destroy();
    }
  });
});
