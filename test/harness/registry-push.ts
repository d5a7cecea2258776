/**
 * Pushes content straight through the distribution push API (monolithic upload: `POST
 * /v2/<name>/blobs/uploads/` then `PUT <location>?digest=`, and `PUT /v2/<name>/manifests/<ref>`;
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#push), for tests that need
 * content no image tool makes: schema 1 manifests, artifacts with unsupported media types, blobs
 * whose stored bytes lie about their digest (`corruptBlob`), hand-made indexes. Small in-memory
 * images come from `buildTestImage`. Test code only: credentials are the test registry's.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { TestRegistry, TestUser } from './registry.ts';

export const ociManifestType = 'application/vnd.oci.image.manifest.v1+json';
export const ociIndexType = 'application/vnd.oci.image.index.v1+json';
export const ociConfigType = 'application/vnd.oci.image.config.v1+json';
export const ociLayerGzipType = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const dockerManifestType = 'application/vnd.docker.distribution.manifest.v2+json';
export const dockerListType = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const dockerConfigType = 'application/vnd.docker.container.image.v1+json';
export const dockerLayerGzipType = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
export const schema1SignedType = 'application/vnd.docker.distribution.manifest.v1+prettyjws';

export interface Blob {
  readonly bytes: Buffer;
  readonly digest: string;
  readonly size: number;
  readonly mediaType: string;
}

export interface TestImage {
  readonly config: Blob;
  readonly layers: readonly Blob[];
  /** The manifest's bytes, media type and digest. */
  readonly manifest: Blob;
  /** Uncompressed tar of each layer (its diff id is the config's `rootfs.diff_ids` entry). */
  readonly layerTars: readonly Buffer[];
}

export interface TestImageSpec {
  readonly architecture?: string;
  readonly os?: string;
  readonly variant?: string;
  /** One layer per entry: path → content. */
  readonly layers?: readonly Readonly<Record<string, string | Buffer>>[];
  readonly format?: 'oci' | 'docker';
  /** Overrides for exotic images (artifacts, unknown layer types). */
  readonly configMediaType?: string;
  readonly layerMediaType?: string;
  readonly configJson?: Record<string, unknown>;
  readonly history?: readonly { readonly created_by: string; readonly empty_layer?: boolean }[];
}

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function blobOf(bytes: Buffer, mediaType: string): Blob {
  return { bytes, digest: sha256(bytes), size: bytes.length, mediaType };
}

/** A tar of regular files (sorted, fixed mtime, so the same files give the same digest). */
export async function tarOf(files: Readonly<Record<string, string | Buffer>>): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(Buffer.from(chunk as Uint8Array));
  })();
  for (const path of Object.keys(files).sort()) {
    const content = files[path] ?? '';
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    await new Promise<void>((resolve, reject) => {
      pack.entry({ name: path, size: bytes.length, mode: 0o644, mtime: new Date(0) }, bytes, (error) =>
        error ? reject(error) : resolve(),
      );
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Builds a small single-platform image in memory (gzip layers, fixed timestamps). */
export async function buildTestImage(spec: TestImageSpec = {}): Promise<TestImage> {
  const docker = spec.format === 'docker';
  const layersSpec = spec.layers ?? [{ 'etc/hello.txt': 'hello\n' }];
  const layerTars = await Promise.all(layersSpec.map((files) => tarOf(files)));
  const layerType = spec.layerMediaType ?? (docker ? dockerLayerGzipType : ociLayerGzipType);
  const layers = layerTars.map((tarBytes) => blobOf(gzipSync(tarBytes, { level: 1 }), layerType));
  const architecture = spec.architecture ?? 'amd64';
  const configJson = spec.configJson ?? {
    architecture,
    os: spec.os ?? 'linux',
    ...(spec.variant ? { variant: spec.variant } : {}),
    created: '2024-01-01T00:00:00Z',
    config: { Env: ['PATH=/usr/bin:/bin'], Cmd: ['/bin/sh'], Labels: { 'org.drydock.test': architecture } },
    rootfs: { type: 'layers', diff_ids: layerTars.map((bytes) => sha256(bytes)) },
    history:
      spec.history ??
      layerTars.map((_, index) => ({ created: '2024-01-01T00:00:00Z', created_by: `ADD layer-${index} /` })),
  };
  const config = blobOf(
    Buffer.from(JSON.stringify(configJson)),
    spec.configMediaType ?? (docker ? dockerConfigType : ociConfigType),
  );
  const manifestType = docker ? dockerManifestType : ociManifestType;
  const manifestJson = {
    schemaVersion: 2,
    mediaType: manifestType,
    config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
    layers: layers.map((layer) => ({ mediaType: layer.mediaType, digest: layer.digest, size: layer.size })),
  };
  const manifest = blobOf(Buffer.from(JSON.stringify(manifestJson, null, 2)), manifestType);
  return { config, layers, manifest, layerTars };
}

/** An image index (or Docker manifest list) over images of several platforms. */
export function buildIndex(
  entries: readonly {
    readonly image: TestImage;
    readonly platform: { readonly os: string; readonly architecture: string; readonly variant?: string };
  }[],
  format: 'oci' | 'docker' = 'oci',
): Blob {
  const mediaType = format === 'docker' ? dockerListType : ociIndexType;
  const json = {
    schemaVersion: 2,
    mediaType,
    manifests: entries.map(({ image, platform }) => ({
      mediaType: image.manifest.mediaType,
      digest: image.manifest.digest,
      size: image.manifest.size,
      platform,
    })),
  };
  return blobOf(Buffer.from(JSON.stringify(json, null, 2)), mediaType);
}

/** libtrust's key id: SHA-256 of the DER public key, first 240 bits, base32 in groups of four. */
function libtrustKeyId(publicKey: KeyObject): string {
  const digest = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest()
    .subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let encoded = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      encoded += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return encoded.match(/.{1,4}/g)?.join(':') ?? encoded;
}

/**
 * A signed Docker schema 1 manifest (`application/vnd.docker.distribution.manifest.v1+prettyjws`),
 * signed like libtrust does (ES256 JWS, key in the `jwk` header), so a registry accepts the push.
 * The layers must already be pushed.
 */
export function buildSchema1Manifest(
  repository: string,
  tag: string,
  layers: readonly Blob[],
  architecture = 'amd64',
): Blob {
  const manifest = {
    schemaVersion: 1,
    name: repository,
    tag,
    architecture,
    fsLayers: layers.map((layer) => ({ blobSum: layer.digest })).reverse(),
    history: layers
      .map((layer, index) => ({
        v1Compatibility: JSON.stringify({
          id: createHash('sha256').update(`layer-${index}-${layer.digest}`).digest('hex'),
          created: '2024-01-01T00:00:00Z',
          container_config: { Cmd: [`/bin/sh -c #(nop) ADD layer-${index}`] },
        }),
      }))
      .reverse(),
  };
  const payload = Buffer.from(JSON.stringify(manifest, null, 3));
  const closing = payload.lastIndexOf('}');
  let formatLength = closing;
  while (formatLength > 0 && /\s/.test(String.fromCharCode(payload[formatLength - 1] ?? 0)))
    formatLength -= 1;
  const formatTail = payload.subarray(formatLength);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const protectedHeader = Buffer.from(
    JSON.stringify({
      formatLength,
      formatTail: formatTail.toString('base64url'),
      time: '2024-01-01T00:00:00Z',
    }),
  ).toString('base64url');
  const signingInput = `${protectedHeader}.${payload.toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const signatures = [
    {
      header: {
        jwk: { crv: jwk.crv, kid: libtrustKeyId(publicKey), kty: jwk.kty, x: jwk.x, y: jwk.y },
        alg: 'ES256',
      },
      signature: signature.toString('base64url'),
      protected: protectedHeader,
    },
  ];
  const pretty = Buffer.concat([
    payload.subarray(0, formatLength),
    Buffer.from(`,\n   "signatures": ${JSON.stringify(signatures, null, 3).replace(/\n/g, '\n   ')}\n}`),
  ]);
  return blobOf(pretty, schema1SignedType);
}

/** Where the filesystem driver keeps a blob's bytes. */
export function blobDataPath(storageDir: string, digest: string): string {
  const [algorithm, hex] = digest.split(':');
  if (!algorithm || !hex) throw new Error(`bad digest ${digest}`);
  return join(storageDir, 'docker/registry/v2/blobs', algorithm, hex.slice(0, 2), hex, 'data');
}

/** Flips one byte of a stored blob, keeping its size: the registry then serves bytes that lie about their digest. */
export async function corruptBlob(storageDir: string, digest: string, offset = 0): Promise<void> {
  const file = await open(blobDataPath(storageDir, digest), 'r+');
  try {
    const byte = Buffer.alloc(1);
    await file.read(byte, 0, 1, offset);
    byte[0] = (byte[0] ?? 0) ^ 0xff;
    await file.write(byte, 0, 1, offset);
  } finally {
    await file.close();
  }
}

/** Pushes to a test registry, authenticating as its first user (Basic, or a push token from its token server). */
export class RegistryPusher {
  readonly #url: string;
  readonly #user: TestUser | undefined;
  readonly #auth: TestRegistry['auth'];
  readonly #tokens = new Map<string, string>();

  constructor(registry: Pick<TestRegistry, 'url' | 'auth' | 'users'>) {
    this.#url = registry.url;
    this.#auth = registry.auth;
    this.#user = registry.users[0];
  }

  async #authorization(scope: string, challenge: string | null): Promise<string | undefined> {
    if (this.#auth === 'none' || !this.#user) return undefined;
    const basic = `Basic ${Buffer.from(`${this.#user.username}:${this.#user.password}`).toString('base64')}`;
    if (this.#auth === 'basic') return basic;
    const cached = this.#tokens.get(scope);
    if (cached && challenge === null) return `Bearer ${cached}`;
    if (challenge === null) return undefined;
    const realm = /realm="([^"]+)"/.exec(challenge)?.[1];
    const service = /service="([^"]+)"/.exec(challenge)?.[1];
    if (!realm) throw new Error(`push: unexpected challenge ${challenge}`);
    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    url.searchParams.set('scope', scope);
    const response = await fetch(url, { headers: { authorization: basic } });
    if (!response.ok) throw new Error(`push: token request failed with ${response.status}`);
    const { token } = (await response.json()) as { token: string };
    this.#tokens.set(scope, token);
    return `Bearer ${token}`;
  }

  async #request(
    method: string,
    url: string,
    repository: string,
    init: { body?: Buffer; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const scope = `repository:${repository}:pull,push,delete`;
    const send = async (authorization: string | undefined): Promise<Response> =>
      fetch(url, {
        method,
        headers: { ...init.headers, ...(authorization ? { authorization } : {}) },
        // A copy typed for fetch's BodyInit, which the DOM lib (the console's) narrows to ArrayBuffer views.
        ...(init.body ? { body: new Uint8Array(init.body) } : {}),
        redirect: 'manual',
      });
    let response = await send(await this.#authorization(scope, null));
    if (response.status === 401) {
      await response.arrayBuffer();
      response = await send(await this.#authorization(scope, response.headers.get('www-authenticate')));
    }
    return response;
  }

  async #expect(response: Response, statuses: readonly number[], what: string): Promise<void> {
    if (statuses.includes(response.status)) return;
    throw new Error(`push: ${what} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  }

  /** Monolithic upload: POST to open the upload, then one PUT with all the bytes and the digest. */
  async pushBlob(repository: string, bytes: Buffer): Promise<Blob> {
    const digest = sha256(bytes);
    const start = await this.#request('POST', `${this.#url}/v2/${repository}/blobs/uploads/`, repository);
    await this.#expect(start, [202], `upload start for ${repository}`);
    await start.arrayBuffer();
    const location = new URL(start.headers.get('location') ?? '', this.#url);
    location.searchParams.set('digest', digest);
    const put = await this.#request('PUT', location.href, repository, {
      body: bytes,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
    });
    await this.#expect(put, [201], `blob upload ${digest}`);
    await put.arrayBuffer();
    return { bytes, digest, size: bytes.length, mediaType: 'application/octet-stream' };
  }

  /** PUT a manifest (any bytes, any media type) under a tag or its digest; returns the registry's digest. */
  async pushManifest(
    repository: string,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<string> {
    const response = await this.#request(
      'PUT',
      `${this.#url}/v2/${repository}/manifests/${reference}`,
      repository,
      {
        body: bytes,
        headers: { 'content-type': mediaType },
      },
    );
    await this.#expect(response, [201], `manifest ${repository}:${reference}`);
    await response.arrayBuffer();
    return response.headers.get('docker-content-digest') ?? sha256(bytes);
  }

  /** Pushes config, layers and manifest; tags the manifest when `tag` is given (else by digest only). */
  async pushImage(repository: string, tag: string | undefined, image: TestImage): Promise<string> {
    for (const blob of [image.config, ...image.layers]) await this.pushBlob(repository, blob.bytes);
    return this.pushManifest(
      repository,
      tag ?? image.manifest.digest,
      image.manifest.bytes,
      image.manifest.mediaType,
    );
  }

  /** Pushes every image of an index by digest, then the index under `tag`. */
  async pushIndex(
    repository: string,
    tag: string,
    index: Blob,
    images: readonly TestImage[],
  ): Promise<string> {
    for (const image of images) await this.pushImage(repository, undefined, image);
    return this.pushManifest(repository, tag, index.bytes, index.mediaType);
  }

  async deleteManifest(repository: string, digest: string): Promise<void> {
    const response = await this.#request(
      'DELETE',
      `${this.#url}/v2/${repository}/manifests/${digest}`,
      repository,
    );
    await this.#expect(response, [202], `delete ${repository}@${digest}`);
    await response.arrayBuffer();
  }
}
