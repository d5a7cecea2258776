/**
 * Builds OCI image layouts deterministically, without Docker: sorted tar entries, uid/gid 0,
 * mtime 0, fixed `created` dates, so the same spec always gives the same digests.
 *
 * Layout format: https://github.com/opencontainers/image-spec/blob/main/image-layout.md
 * (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`); manifests, indexes and configs as in the
 * image spec's manifest.md, image-index.md and config.md. Multi-architecture indexes are written
 * the way skopeo's `oci:` transport reads them for `--all`: an `index.json` entry of media type
 * image index pointing at an index blob.
 *
 * Writes to one layout are not safe to run concurrently (index.json is read, changed, rewritten).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import * as tar from 'tar-stream';
import type { Descriptor, Platform } from '../../packages/engine/src/image/types.ts';

const run = promisify(execFile);

export type Compression = 'gzip' | 'zstd' | 'none';

export type FileType = 'file' | 'dir' | 'symlink' | 'hardlink';

/** One tar entry of an in-memory layer. `path` is relative to the image root (a leading `/` is dropped). */
export interface FileSpec {
  readonly path: string;
  readonly content?: string | Buffer;
  /** Permission bits incl. setuid/setgid/sticky; defaults 0o644 (file), 0o755 (dir), 0o777 (symlink). */
  readonly mode?: number;
  readonly type?: FileType;
  /** Symlink target (as written) or hardlink target (an archive path). */
  readonly linkTarget?: string;
}

interface LayerOptions {
  readonly compression?: Compression;
  /** The history `created_by` of this layer; defaults to `layer N`. */
  readonly createdBy?: string;
}

/**
 * A layer's contents: a directory on disk (archived with GNU tar, `--sort=name`, owner 0, mtime 0),
 * in-memory file specs (sorted by path, stable for duplicates), or raw tar bytes used as they are
 * (hostile layers).
 */
export type LayerSpec =
  | (LayerOptions & { readonly directory: string })
  | (LayerOptions & { readonly files: readonly FileSpec[] })
  | (LayerOptions & { readonly tar: Buffer });

export interface HistorySpec {
  readonly createdBy: string;
  readonly emptyLayer?: boolean;
  readonly comment?: string;
}

export interface ContainerConfigSpec {
  readonly user?: string;
  readonly env?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  readonly workingDir?: string;
  /** `80/tcp`-style keys. */
  readonly exposedPorts?: readonly string[];
  readonly volumes?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly healthcheck?: readonly string[];
  readonly stopSignal?: string;
}

export interface ImageSpec {
  readonly architecture?: string;
  readonly os?: string;
  readonly variant?: string;
  readonly layers: readonly LayerSpec[];
  readonly config?: ContainerConfigSpec;
  /**
   * The whole history, when given (it may include `emptyLayer` entries, or disagree with the
   * layers on purpose). Default: one entry per layer from its `createdBy`.
   */
  readonly history?: readonly HistorySpec[];
  readonly manifestAnnotations?: Readonly<Record<string, string>>;
}

export interface BuiltLayer {
  /** The uncompressed tar. */
  readonly tar: Buffer;
  /** The blob as stored. */
  readonly blob: Buffer;
  readonly compression: Compression;
  readonly mediaType: string;
  readonly digest: string;
  readonly diffId: string;
  readonly size: number;
  readonly createdBy: string;
}

export interface BuiltImage {
  /** The manifest descriptor (with platform, without annotations). */
  readonly descriptor: Descriptor;
  readonly manifestDigest: string;
  readonly configDigest: string;
  /** The configuration exactly as written. */
  readonly configBytes: Buffer;
  readonly layers: readonly BuiltLayer[];
  readonly diffIds: readonly string[];
  readonly platform: Platform;
}

export const ociMediaTypes = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  layerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
} as const;

const refNameAnnotation = 'org.opencontainers.image.ref.name';
const epoch = '1970-01-01T00:00:00Z';

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Tar of in-memory entries, sorted by path (stable), uid/gid 0, mtime 0. */
export async function tarFromFiles(files: readonly FileSpec[]): Promise<Buffer> {
  const sorted = files
    .map((file, order) => ({ file, order, name: file.path.replace(/^\/+/, '') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.order - b.order));
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const { file, name } of sorted) {
    const type = file.type ?? 'file';
    const base = { uid: 0, gid: 0, mtime: new Date(0) };
    switch (type) {
      case 'dir':
        pack.entry({
          ...base,
          name: name.endsWith('/') ? name : `${name}/`,
          type: 'directory',
          mode: file.mode ?? 0o755,
        });
        break;
      case 'symlink':
        pack.entry({
          ...base,
          name,
          type: 'symlink',
          linkname: file.linkTarget ?? '',
          mode: file.mode ?? 0o777,
        });
        break;
      case 'hardlink':
        pack.entry({
          ...base,
          name,
          type: 'link',
          linkname: (file.linkTarget ?? '').replace(/^\/+/, ''),
          mode: file.mode ?? 0o644,
        });
        break;
      case 'file': {
        const content =
          typeof file.content === 'string' ? Buffer.from(file.content) : (file.content ?? Buffer.alloc(0));
        await new Promise<void>((resolve, reject) => {
          pack.entry(
            { ...base, name, type: 'file', mode: file.mode ?? 0o644, size: content.length },
            content,
            (error) => (error ? reject(error) : resolve()),
          );
        });
        break;
      }
    }
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/**
 * Tar of a directory with GNU tar, as `mkoci.sh` does (RECIPES.md 2c): entries `./`, `./etc/`, ...
 * sorted by name, owner 0, mtime 0; symlinks kept, hardlinks detected, devices and fifos as headers.
 */
export async function tarFromDirectory(directory: string): Promise<Buffer> {
  const { stdout } = await run(
    'tar',
    [
      '--sort=name',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '--mtime=@0',
      '--format=gnu',
      '-C',
      directory,
      '-cf',
      '-',
      '.',
    ],
    { encoding: 'buffer', maxBuffer: 1 << 30 },
  );
  return stdout;
}

export function compress(tarBytes: Buffer, compression: Compression): Buffer {
  switch (compression) {
    case 'gzip':
      return gzipSync(tarBytes, { level: 6 });
    case 'zstd':
      return zstdCompressSync(tarBytes);
    case 'none':
      return tarBytes;
  }
}

function layerMediaType(compression: Compression): string {
  switch (compression) {
    case 'gzip':
      return ociMediaTypes.layerGzip;
    case 'zstd':
      return ociMediaTypes.layerZstd;
    case 'none':
      return ociMediaTypes.layer;
  }
}

export async function buildLayer(spec: LayerSpec, index = 0): Promise<BuiltLayer> {
  const tarBytes =
    'tar' in spec
      ? spec.tar
      : 'files' in spec
        ? await tarFromFiles(spec.files)
        : await tarFromDirectory(spec.directory);
  const compression = spec.compression ?? 'gzip';
  const blob = compress(tarBytes, compression);
  return {
    tar: tarBytes,
    blob,
    compression,
    mediaType: layerMediaType(compression),
    digest: sha256(blob),
    diffId: sha256(tarBytes),
    size: blob.length,
    createdBy: spec.createdBy ?? `layer ${index}`,
  };
}

/** Stores a blob under `blobs/sha256/<hex>` (no-op when present); returns its digest. */
export async function writeBlob(layoutDir: string, bytes: Buffer): Promise<string> {
  const digest = sha256(bytes);
  const directory = join(layoutDir, 'blobs', 'sha256');
  await mkdir(directory, { recursive: true });
  const path = join(directory, digest.slice('sha256:'.length));
  const existing = await stat(path).catch(() => undefined);
  if (existing?.size === bytes.length) return digest;
  await writeFile(`${path}.tmp`, bytes);
  await rename(`${path}.tmp`, path);
  return digest;
}

interface IndexJson {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

/** Creates `oci-layout` and an empty `index.json` when missing. */
export async function initLayout(layoutDir: string): Promise<void> {
  await mkdir(join(layoutDir, 'blobs', 'sha256'), { recursive: true });
  const layoutFile = join(layoutDir, 'oci-layout');
  if (!(await stat(layoutFile).catch(() => undefined))) {
    await writeFile(layoutFile, JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  }
  const indexFile = join(layoutDir, 'index.json');
  if (!(await stat(indexFile).catch(() => undefined))) {
    await writeFile(
      indexFile,
      JSON.stringify({ schemaVersion: 2, mediaType: ociMediaTypes.index, manifests: [] }),
    );
  }
}

/** Adds `descriptor` to index.json under `tag`, replacing an entry with the same tag. */
async function tagInIndex(layoutDir: string, tag: string, descriptor: Descriptor): Promise<void> {
  const indexFile = join(layoutDir, 'index.json');
  const index = JSON.parse(await readFile(indexFile, 'utf8')) as IndexJson;
  const entry: Descriptor = {
    ...descriptor,
    annotations: { ...descriptor.annotations, [refNameAnnotation]: tag },
  };
  index.manifests = [...index.manifests.filter((m) => m.annotations?.[refNameAnnotation] !== tag), entry];
  await writeFile(`${indexFile}.tmp`, JSON.stringify(index));
  await rename(`${indexFile}.tmp`, indexFile);
}

function configJson(spec: ImageSpec, layers: readonly BuiltLayer[]): Buffer {
  const c = spec.config ?? {};
  const container = {
    ...(c.user !== undefined ? { User: c.user } : {}),
    ...(c.exposedPorts ? { ExposedPorts: Object.fromEntries(c.exposedPorts.map((p) => [p, {}])) } : {}),
    Env: c.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ...(c.entrypoint ? { Entrypoint: c.entrypoint } : {}),
    Cmd: c.cmd ?? ['/bin/sh'],
    ...(c.volumes ? { Volumes: Object.fromEntries(c.volumes.map((v) => [v, {}])) } : {}),
    ...(c.workingDir !== undefined ? { WorkingDir: c.workingDir } : {}),
    ...(c.labels ? { Labels: c.labels } : {}),
    ...(c.stopSignal ? { StopSignal: c.stopSignal } : {}),
    ...(c.healthcheck ? { Healthcheck: { Test: c.healthcheck } } : {}),
  };
  const history = spec.history ?? layers.map((layer) => ({ createdBy: layer.createdBy }));
  const config = {
    created: epoch,
    architecture: spec.architecture ?? 'amd64',
    os: spec.os ?? 'linux',
    ...(spec.variant ? { variant: spec.variant } : {}),
    config: container,
    rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
    history: history.map((entry: HistorySpec) => ({
      created: epoch,
      created_by: entry.createdBy,
      ...(entry.comment ? { comment: entry.comment } : {}),
      ...(entry.emptyLayer ? { empty_layer: true } : {}),
    })),
  };
  return Buffer.from(JSON.stringify(config));
}

/**
 * Writes an image (layers, config, manifest) into the layout and, when `tag` is given, names it in
 * index.json. Returns everything a test needs to check a source against.
 */
export async function buildOciImage(
  layoutDir: string,
  tag: string | undefined,
  spec: ImageSpec,
): Promise<BuiltImage> {
  await initLayout(layoutDir);
  const layers: BuiltLayer[] = [];
  for (const [index, layerSpec] of spec.layers.entries()) layers.push(await buildLayer(layerSpec, index));
  for (const layer of layers) await writeBlob(layoutDir, layer.blob);
  const configBytes = configJson(spec, layers);
  const configDigest = await writeBlob(layoutDir, configBytes);
  const manifest = {
    schemaVersion: 2,
    mediaType: ociMediaTypes.manifest,
    config: { mediaType: ociMediaTypes.config, digest: configDigest, size: configBytes.length },
    layers: layers.map((layer) => ({ mediaType: layer.mediaType, digest: layer.digest, size: layer.size })),
    ...(spec.manifestAnnotations ? { annotations: spec.manifestAnnotations } : {}),
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const manifestDigest = await writeBlob(layoutDir, manifestBytes);
  const platform: Platform = {
    os: spec.os ?? 'linux',
    architecture: spec.architecture ?? 'amd64',
    ...(spec.variant ? { variant: spec.variant } : {}),
  };
  const descriptor: Descriptor = {
    mediaType: ociMediaTypes.manifest,
    digest: manifestDigest,
    size: manifestBytes.length,
    platform,
  };
  if (tag !== undefined) await tagInIndex(layoutDir, tag, descriptor);
  return {
    descriptor,
    manifestDigest,
    configDigest,
    configBytes,
    layers,
    diffIds: layers.map((l) => l.diffId),
    platform,
  };
}

/** Writes an image into the layout (tagged unless `tag` is undefined); returns its manifest descriptor. */
export async function writeOciImage(
  layoutDir: string,
  tag: string | undefined,
  spec: ImageSpec,
): Promise<Descriptor> {
  return (await buildOciImage(layoutDir, tag, spec)).descriptor;
}

/**
 * Writes an image index blob listing `descriptors` (manifests or indexes, with their platforms) and
 * names it `tag` in index.json with media type image index, as skopeo's `oci:` transport reads it
 * for `--all`. Returns the index descriptor.
 */
export async function writeOciIndex(
  layoutDir: string,
  tag: string | undefined,
  descriptors: readonly Descriptor[],
): Promise<Descriptor> {
  await initLayout(layoutDir);
  const bytes = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: ociMediaTypes.index, manifests: descriptors }),
  );
  const digest = await writeBlob(layoutDir, bytes);
  const descriptor: Descriptor = { mediaType: ociMediaTypes.index, digest, size: bytes.length };
  if (tag !== undefined) await tagInIndex(layoutDir, tag, descriptor);
  return descriptor;
}
