/**
 * The million-file benchmark image's application layer: 1,000,000 small files (80–700 bytes of
 * JSON each) in 1,000 directories of 1,000, like a cache or a dataset of small records unpacked
 * into an image. Generated deterministically.
 */
import type { TarEntry } from './image-tar.ts';

export const manyFilesCount = 1_000_000;
const perDirectory = 1_000;

function record(n: number): Buffer {
  const h = Math.imul(n ^ 0x9e3779b9, 2654435761) >>> 0;
  const tags = Array.from({ length: h % 12 }, (_, i) => `"tag-${(h >>> i) % 97}"`).join(',');
  return Buffer.from(
    `${JSON.stringify({ id: n, sha: h.toString(16).padStart(8, '0'), size: h % 65_536, score: (h % 1000) / 1000 })}\n{"tags":[${tags}],"note":"${'x'.repeat(h % 400)}"}\n`,
  );
}

export function* manyFilesEntries(): Generator<TarEntry> {
  yield { type: 'dir', path: 'srv' };
  yield { type: 'dir', path: 'srv/records' };
  for (let directory = 0; directory < manyFilesCount / perDirectory; directory++) {
    const top = `srv/records/${String(Math.floor(directory / 10)).padStart(2, '0')}`;
    if (directory % 10 === 0) yield { type: 'dir', path: top };
    const path = `${top}/${directory % 10}`;
    yield { type: 'dir', path };
    for (let file = 0; file < perDirectory; file++) {
      const n = directory * perDirectory + file;
      const content = record(n);
      yield { type: 'file', path: `${path}/${n}.json`, size: content.length, chunks: [content] };
    }
  }
}
