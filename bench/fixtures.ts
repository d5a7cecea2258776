/**
 * The benchmark's real inputs, built once and cached under `.cache/bench/` (not committed):
 * a Debian bookworm root filesystem from mmdebstrap (with python3), and a node_modules tree of
 * tens of thousands of files installed from the npm registry, packed as a two-layer OCI image.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildOciImage } from '../test/harness/oci-builder.ts';

const run = promisify(execFile);
export const cacheDir = join(import.meta.dirname, '..', '.cache', 'bench');

const nodePackages = [
  'webpack',
  'webpack-cli',
  '@babel/core',
  '@babel/preset-env',
  'eslint',
  'jest',
  'react',
  'react-dom',
  'lodash',
  'moment',
  'rxjs',
  'aws-sdk@2',
  'googleapis',
  'typescript',
  'three',
  '@aws-sdk/client-s3',
  'date-fns',
  'core-js',
];

/**
 * A Debian bookworm minbase root filesystem with `packages` (and what they depend on) as a tar from
 * mmdebstrap, cached as `.cache/bench/NAME.tar`: directly usable as a layer.
 */
export async function debianTar(name: string, packages: readonly string[]): Promise<string> {
  const file = join(cacheDir, `${name}.tar`);
  if (existsSync(file)) return file;
  const sources = await readFile('/etc/apt/sources.list.d/debian.sources', 'utf8');
  const mirror = /^URIs:\s*(\S+)/m.exec(sources)?.[1];
  if (!mirror) throw new Error('no Debian mirror in /etc/apt/sources.list.d/debian.sources');
  process.stderr.write(`bench: building a Debian bookworm root filesystem (${name}) with mmdebstrap...\n`);
  await mkdir(cacheDir, { recursive: true });
  await run(
    'mmdebstrap',
    [
      '--quiet',
      '--variant=minbase',
      `--include=${packages.join(',')}`,
      '--format=tar',
      'bookworm',
      `${file}.tmp`,
      mirror,
    ],
    { maxBuffer: 1 << 26 },
  );
  await run('mv', [`${file}.tmp`, file]);
  return file;
}

/** The minbase root filesystem with python3: the base of the Debian + node_modules image. */
export function debianRootfsTar(): Promise<string> {
  return debianTar('debian', ['python3', 'ca-certificates']);
}

async function nodeModulesTree(): Promise<string> {
  const directory = join(cacheDir, 'node-app');
  if (existsSync(join(directory, 'node_modules', '.package-lock.json'))) return directory;
  process.stderr.write('bench: installing a node_modules tree from the npm registry...\n');
  await mkdir(directory, { recursive: true });
  await writeFile(
    join(directory, 'package.json'),
    JSON.stringify({ name: 'bench-app', version: '1.0.0', private: true }),
  );
  await run(
    'npm',
    [
      'install',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--legacy-peer-deps',
      '--loglevel=error',
      ...nodePackages,
    ],
    {
      cwd: directory,
      maxBuffer: 1 << 26,
    },
  );
  return directory;
}

/**
 * The OCI layout `node-layout` with tag `node`: only the node_modules application, as one
 * uncompressed layer, so its scan can be compared with merely reading the same files.
 */
export async function nodeModulesLayout(): Promise<{ layout: string; tag: string; directory: string }> {
  const layout = join(cacheDir, 'node-layout');
  const tag = 'node';
  const directory = await nodeModulesTree();
  if (existsSync(join(layout, 'index.json'))) return { layout, tag, directory };
  await buildOciImage(layout, tag, {
    layers: [{ directory, compression: 'none', createdBy: 'COPY node-app/ /app/' }],
  });
  return { layout, tag, directory };
}

/** The OCI layout `bench-layout` with tag `bench`: [Debian rootfs (gzip), node_modules app (gzip)]. */
export async function benchImageLayout(): Promise<{ layout: string; tag: string }> {
  const layout = join(cacheDir, 'layout');
  const tag = 'bench';
  if (existsSync(join(layout, 'index.json'))) return { layout, tag };
  const [rootfs, app] = await Promise.all([debianRootfsTar(), nodeModulesTree()]);
  process.stderr.write('bench: packing the benchmark image...\n');
  await buildOciImage(layout, tag, {
    config: { cmd: ['node', '/app/index.js'], workingDir: '/app' },
    layers: [
      { tar: await readFile(rootfs), compression: 'gzip', createdBy: 'ADD debian-bookworm-minbase.tar /' },
      { directory: app, compression: 'gzip', createdBy: 'COPY node-app/ /app/' },
    ],
  });
  return { layout, tag };
}
