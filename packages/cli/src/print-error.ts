import pc from 'picocolors';
import { toDrydockError } from '@drydock/engine';
import { printable } from './format/table-parts.ts';

/**
 * Prints a failure as `drydock: error [code (reason)] message` on standard error, and its stack
 * when DRYDOCK_DEBUG is set, as every command does. Messages may quote an image's own names, so
 * their control characters are shown as escapes.
 */
export function printError(error: unknown, signal?: AbortSignal): void {
  const failure = toDrydockError(error, signal);
  const reason = failure.reason ? ` (${failure.reason})` : '';
  process.stderr.write(
    `${pc.red('drydock: error')} [${failure.code}${reason}] ${printable(failure.message)}\n`,
  );
  if (process.env['DRYDOCK_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
}
