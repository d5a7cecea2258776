/**
 * Wrappers around Debian's skopeo (1.9) for tests: push an OCI layout tag to a registry, write a
 * docker-archive, copy between layouts and from a registry. Commands as verified in RECIPES.md 2d.
 * Failures throw a SkopeoError carrying skopeo's stderr.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type ManifestFormat = 'oci' | 'v2s2';

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

export interface CopyOptions {
  /** Copy every image of an index (`--all`); without it skopeo copies one platform. */
  readonly all?: boolean;
  /** `v2s2`: Docker schema 2 manifests (and manifest lists with `all`). */
  readonly format?: ManifestFormat;
  /** Recompress layers (`--dest-compress-format`); only oci→oci (RECIPES.md pitfall 4). */
  readonly compressFormat?: 'gzip' | 'zstd';
  readonly destCredentials?: RegistryCredentials;
  readonly srcCredentials?: RegistryCredentials;
  /** Registry over plain HTTP / self-signed TLS (default true for test registries on 127.0.0.1). */
  readonly insecure?: boolean;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export class SkopeoError extends Error {
  readonly stderr: string;
  readonly args: readonly string[];
  constructor(args: readonly string[], stderr: string, cause: unknown) {
    // Credentials never reach messages or logs.
    const shown = args.map((arg, i) =>
      ['--dest-creds', '--src-creds', '--creds'].includes(args[i - 1] ?? '') ? '***' : arg,
    );
    const status =
      typeof cause === 'object' && cause !== null && 'code' in cause
        ? `exit status ${String(cause.code)}`
        : 'no output';
    super(`skopeo ${shown.join(' ')} failed: ${stderr.trim() || status}`);
    this.name = 'SkopeoError';
    this.stderr = stderr;
    this.args = shown;
  }
}

/** Runs skopeo; resolves with stdout, rejects with a SkopeoError carrying stderr. */
export function skopeo(
  args: readonly string[],
  options: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'skopeo',
      args,
      {
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 << 20,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(new SkopeoError(args, stderr, error));
          return;
        }
        resolve(stdout);
      },
    );
  });
}

function credsArg(
  flag: '--dest-creds' | '--src-creds',
  credentials: RegistryCredentials | undefined,
): string[] {
  return credentials ? [flag, `${credentials.username}:${credentials.password}`] : [];
}

/** `skopeo copy [options] SRC DEST` with the flags of `options`. */
export async function skopeoCopy(
  source: string,
  destination: string,
  options: CopyOptions = {},
): Promise<void> {
  const toRegistry = destination.startsWith('docker://');
  const fromRegistry = source.startsWith('docker://');
  if (
    options.compressFormat &&
    (toRegistry || !source.startsWith('oci:') || !destination.startsWith('oci:'))
  ) {
    // skopeo's blob-info cache reuses blobs a registry already has and silently keeps their compression.
    throw new Error('recompress oci→oci first (RECIPES.md pitfall 4), then push the recompressed layout');
  }
  const insecure = options.insecure ?? true;
  const args = [
    'copy',
    '--quiet',
    ...(options.all ? ['--all'] : []),
    ...(options.format ? ['--format', options.format] : []),
    ...(options.compressFormat ? ['--dest-compress-format', options.compressFormat] : []),
    ...(toRegistry && insecure ? ['--dest-tls-verify=false'] : []),
    ...(fromRegistry && insecure ? ['--src-tls-verify=false'] : []),
    ...credsArg('--dest-creds', options.destCredentials),
    ...credsArg('--src-creds', options.srcCredentials),
    source,
    destination,
  ];
  await skopeo(args, options);
}

/**
 * Pushes `oci:LAYOUT:TAG` to `docker://REFERENCE` (e.g. `127.0.0.1:5000/test/hand:v1`); with
 * `all`, every image of an index. With `format: 'v2s2'` (Docker manifests and manifest lists) zstd
 * layers go through a gzip copy first (see withGzipLayers).
 */
export async function pushLayout(
  layoutDir: string,
  tag: string,
  reference: string,
  options: CopyOptions = {},
): Promise<void> {
  if (options.format === 'v2s2') {
    await withGzipLayers(layoutDir, tag, options, (layout) =>
      skopeoCopy(`oci:${layout}:${tag}`, `docker://${reference}`, options),
    );
    return;
  }
  await skopeoCopy(`oci:${layoutDir}:${tag}`, `docker://${reference}`, options);
}

/**
 * Runs `use` on a copy of `oci:LAYOUT:TAG` whose layers are all gzip (skopeo 1.9 refuses to convert
 * zstd layers to any Docker format, even with `--dest-compress-format gzip` in the same copy), in
 * a temporary layout deleted afterwards. The config and diff ids are unchanged; layer digests change.
 */
async function withGzipLayers(
  layoutDir: string,
  tag: string,
  options: CopyOptions,
  use: (layout: string) => Promise<void>,
): Promise<void> {
  const temporary = await mkdtemp(join(tmpdir(), 'drydock-gzip-layout-'));
  try {
    const { all, timeoutMs, signal } = options;
    await skopeoCopy(`oci:${layoutDir}:${tag}`, `oci:${temporary}:${tag}`, {
      compressFormat: 'gzip',
      ...(all ? { all } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(signal ? { signal } : {}),
    });
    await use(temporary);
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}

/**
 * Writes `docker-archive:FILE:REPO_TAG` (docker save format: manifest.json, `<hex>.json` config,
 * uncompressed `<hex>.tar` layers, `<id>/layer.tar` symlinks) from `oci:LAYOUT:TAG`. zstd layers
 * go through a gzip copy first (see withGzipLayers). skopeo refuses to add to an existing archive,
 * so FILE is replaced.
 */
export async function writeDockerArchive(
  layoutDir: string,
  tag: string,
  file: string,
  repoTag: string,
  options: CopyOptions = {},
): Promise<void> {
  await rm(file, { force: true });
  await mkdir(dirname(file), { recursive: true });
  await withGzipLayers(layoutDir, tag, options, (layout) =>
    skopeoCopy(`oci:${layout}:${tag}`, `docker-archive:${file}:${repoTag}`, options),
  );
}

/** Copies `oci:SRC:TAG` to `oci:DEST:DEST_TAG` (a zstd recompression with `compressFormat`, `--all`, ...). */
export async function copyLayout(
  sourceLayout: string,
  sourceTag: string,
  destinationLayout: string,
  destinationTag: string,
  options: CopyOptions = {},
): Promise<void> {
  await skopeoCopy(`oci:${sourceLayout}:${sourceTag}`, `oci:${destinationLayout}:${destinationTag}`, options);
}

/**
 * Copies `oci:SRC:TAG` into `oci:DEST:DEST_TAG` as a Docker schema 2 manifest (`--format v2s2`):
 * config bytes and diff ids unchanged, layers gzip (`...rootfs.diff.tar.gzip`, zstd recompressed first).
 */
export async function copyLayoutAsV2s2(
  sourceLayout: string,
  sourceTag: string,
  destinationLayout: string,
  destinationTag: string,
  options: CopyOptions = {},
): Promise<void> {
  await withGzipLayers(sourceLayout, sourceTag, options, (layout) =>
    skopeoCopy(`oci:${layout}:${sourceTag}`, `oci:${destinationLayout}:${destinationTag}`, {
      ...options,
      format: 'v2s2',
    }),
  );
}

/** Copies `docker://REFERENCE` into `oci:LAYOUT:TAG`. */
export async function pullToLayout(
  reference: string,
  layoutDir: string,
  tag: string,
  options: CopyOptions = {},
): Promise<void> {
  await skopeoCopy(`docker://${reference}`, `oci:${layoutDir}:${tag}`, options);
}

/** `skopeo inspect --raw`: the manifest (or index) bytes as a registry serves them. */
export async function inspectRaw(reference: string, options: CopyOptions = {}): Promise<string> {
  const insecure = options.insecure ?? true;
  return skopeo(
    [
      'inspect',
      '--raw',
      ...(insecure ? ['--tls-verify=false'] : []),
      ...(options.srcCredentials
        ? ['--creds', `${options.srcCredentials.username}:${options.srcCredentials.password}`]
        : []),
      `docker://${reference}`,
    ],
    options,
  );
}

/**
 * An OCI archive: a plain tar of the layout directory (members `oci-layout`, `index.json`,
 * `blobs/...`, sorted, owner 0, mtime 0), as `skopeo copy ... oci-archive:FILE` would hold.
 */
export async function ociArchive(layoutDir: string, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const members = (await readdir(layoutDir)).sort();
  await run('tar', [
    '--sort=name',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--mtime=@0',
    '--format=gnu',
    '-C',
    layoutDir,
    '-cf',
    file,
    ...members,
  ]);
}

/** skopeo's own OCI archive (`oci-archive:FILE:TAG`); skopeo compresses plain layers on the way. */
export async function writeSkopeoOciArchive(
  layoutDir: string,
  tag: string,
  file: string,
  options: CopyOptions = {},
): Promise<void> {
  await rm(file, { force: true });
  await mkdir(dirname(file), { recursive: true });
  await skopeoCopy(`oci:${layoutDir}:${tag}`, `oci-archive:${file}:${tag}`, options);
}
