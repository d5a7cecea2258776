/**
 * The 3 GB benchmark image's application layer, generated deterministically: what makes images
 * large in practice. Model weights and media are incompressible (pseudo-random bytes behind a
 * safetensors-style JSON header), a data export and logs are text. About 3.0 GB uncompressed.
 */
import { pseudoRandomChunks, textChunks, type TarEntry } from './image-tar.ts';

const MB = 1_000_000;

function* weights(path: string, size: number): Generator<TarEntry> {
  const meta = Buffer.from(
    JSON.stringify({ __metadata__: { format: 'pt' }, 'model.weight': { dtype: 'F16', offsets: [0, size] } }),
  );
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(meta.length));
  const head = Buffer.concat([prefix, meta]);
  yield {
    type: 'file',
    path,
    size: head.length + size,
    chunks: (function* () {
      yield head;
      yield* pseudoRandomChunks(path, size);
    })(),
  };
}

const countries = ['DE', 'FR', 'US', 'JP', 'BR', 'IN', 'NG', 'GB', 'CA', 'AU'];
const statuses = ['paid', 'refunded', 'pending', 'failed'];
const paths = ['/api/orders', '/api/users/me', '/healthz', '/api/search', '/static/app.js'];

/** A multiplicative hash of n: varied but repeatable field values. */
function mix(n: number, salt: number): number {
  return Math.imul(n ^ salt, 2654435761) >>> 0;
}

function csvLine(n: number): string {
  const h = mix(n, 0x5bd1e995);
  return `${n},2026-${String((h % 12) + 1).padStart(2, '0')}-${String((h % 28) + 1).padStart(2, '0')}T${String(h % 24).padStart(2, '0')}:${String(h % 60).padStart(2, '0')}:00Z,user-${h % 1_000_003},${countries[h % 10]},${(h % 100_000) / 100},${statuses[h % 4]}\n`;
}

function logLine(n: number): string {
  const h = mix(n, 0x27d4eb2f);
  return `2026-11-${String((n % 30) + 1).padStart(2, '0')}T10:${String(h % 60).padStart(2, '0')}:${String((h >>> 8) % 60).padStart(2, '0')}.${String(h % 1000).padStart(3, '0')}Z ${h % 17 === 0 ? 'WARN' : 'INFO'} [worker-${h % 8}] request id=${h.toString(16)} path=${paths[h % 5]} status=${h % 23 === 0 ? 500 : 200} duration_ms=${h % 900}\n`;
}

export function* largeLayerEntries(): Generator<TarEntry> {
  yield { type: 'dir', path: 'opt' };
  yield { type: 'dir', path: 'opt/model' };
  for (let shard = 1; shard <= 4; shard++) {
    yield* weights(`opt/model/model-0000${shard}-of-00004.safetensors`, 550 * MB);
  }
  yield { type: 'dir', path: 'opt/media' };
  yield {
    type: 'file',
    path: 'opt/media/intro.mp4',
    size: 100 * MB,
    chunks: pseudoRandomChunks('intro.mp4', 100 * MB),
  };
  yield { type: 'dir', path: 'srv' };
  yield { type: 'dir', path: 'srv/export' };
  yield {
    type: 'file',
    path: 'srv/export/orders.csv',
    size: 400 * MB,
    chunks: textChunks(400 * MB, csvLine),
  };
  yield { type: 'dir', path: 'var' };
  yield { type: 'dir', path: 'var/log' };
  yield { type: 'dir', path: 'var/log/app' };
  for (let part = 1; part <= 3; part++) {
    yield {
      type: 'file',
      path: `var/log/app/app.log.${part}`,
      size: 100 * MB,
      chunks: textChunks(100 * MB, (n) => logLine(n + part * 10_000_000)),
    };
  }
}
