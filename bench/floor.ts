import { createGunzip, createZstdDecompress } from 'node:zlib';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';

/**
 * The floor a scan is measured against: fetch every layer blob of the image from the registry and
 * decompress it with Node's zlib, doing nothing with the bytes. No tar parsing, no hashing.
 */
export async function fetchAndDecompressFloor(
  registryUrl: string,
  repository: string,
  layers: readonly { digest: string; mediaType: string }[],
): Promise<{ seconds: number; bytes: number }> {
  const started = performance.now();
  let bytes = 0;
  for (const layer of layers) {
    const response = await request(`${registryUrl}/v2/${repository}/blobs/${layer.digest}`);
    if (response.statusCode !== 200) throw new Error(`blob ${layer.digest}: HTTP ${response.statusCode}`);
    const decompress = layer.mediaType.endsWith('zstd')
      ? createZstdDecompress({ chunkSize: 1 << 20 })
      : createGunzip({ chunkSize: 1 << 20 });
    await pipeline(
      response.body,
      decompress,
      new Writable({
        highWaterMark: 1 << 20,
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          callback();
        },
      }),
    );
  }
  return { seconds: (performance.now() - started) / 1000, bytes };
}
