import type { Readable, Writable } from 'node:stream';
import { DrydockError } from '../../util/errors.ts';

/**
 * Fails a download whose source goes quiet: when no bytes arrive for `idleMs` while the consumer
 * is ready for more, `source` is destroyed with `download_failed` (reason `stalled`). A consumer
 * that applies backpressure (the `sink` needs draining) is not a stall. Native timers, so small
 * test timeouts are exact (undici's own body timeout, kept as a backstop, ticks in ~0.5 s steps).
 */
export function watchIdle(source: Readable, sink: Writable, idleMs: number, what: string): void {
  if (!(idleMs > 0)) return;
  const onIdle = (): void => {
    if (sink.writableNeedDrain || source.isPaused()) {
      timer.refresh();
      return;
    }
    source.destroy(
      new DrydockError('download_failed', `${what}: no data for ${idleMs} ms, the download stalled`, {
        reason: 'stalled',
        details: { idleMs },
      }),
    );
  };
  const timer = setTimeout(onIdle, idleMs);
  timer.unref();
  source.on('data', () => timer.refresh());
  source.once('close', () => clearTimeout(timer));
  source.once('end', () => clearTimeout(timer));
}
