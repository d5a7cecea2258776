import cliProgress from 'cli-progress';
import type { ScanProgressListener } from '@drydock/engine';
import { formatBytes, formatPlatform } from '@drydock/engine';

/**
 * Progress bars on standard error, one per layer being read, while the output is a terminal.
 * Returns undefined (no listener) when there is no terminal to draw on.
 */
export function terminalProgress(enabled: boolean): {
  listener: ScanProgressListener | undefined;
  stop: () => void;
} {
  if (!enabled || !process.stderr.isTTY) return { listener: undefined, stop: () => {} };
  const multibar = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      clearOnComplete: true,
      hideCursor: true,
      format: ' {name} [{bar}] {percentage}% {done}/{size}',
      barsize: 30,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, { bar: cliProgress.SingleBar; done: number; size: number }>();
  const listener: ScanProgressListener = (event) => {
    const key = `${formatPlatform(event.platform)}#${'index' in event ? event.index : ''}`;
    switch (event.type) {
      case 'image':
        return;
      case 'layer-start': {
        const size = Math.max(event.size, 1);
        const bar = multibar.create(size, 0, {
          name: `layer ${event.index + 1}`,
          done: '0 B',
          size: formatBytes(event.size),
        });
        bars.set(key, { bar, done: 0, size });
        // Draw at once: small layers finish before the first timed redraw.
        multibar.update();
        return;
      }
      case 'layer-bytes': {
        const entry = bars.get(key);
        if (!entry) return;
        entry.done += event.bytes;
        entry.bar.update(Math.min(entry.done, entry.size), { done: formatBytes(entry.done) });
        return;
      }
      case 'layer-done': {
        const entry = bars.get(key);
        if (!entry) return;
        entry.bar.update(entry.size);
        entry.bar.stop();
        multibar.remove(entry.bar);
        bars.delete(key);
        return;
      }
    }
  };
  return { listener, stop: () => multibar.stop() };
}
