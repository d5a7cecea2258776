import { setTimeout as delay } from 'node:timers/promises';

/** PostgreSQL's SQLSTATEs for a connection that broke or a server that is going down or starting. */
const lostConnectionStates: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03', '53300']);
const lostConnectionErrnos: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * Whether `error` says the database connection was lost (a restart, a failover, a network cut)
 * rather than that the statement was wrong: only then is running the same work again the remedy.
 */
export function isLostConnection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (code.startsWith('08') || lostConnectionStates.has(code) || lostConnectionErrnos.has(code)) return true;
  return /Connection terminated|connection (?:is )?closed|Client has encountered a connection error/i.test(
    error.message,
  );
}

/**
 * Runs `work` (a transaction, whole) again while the database connection keeps getting lost, with
 * growing pauses of about `firstDelayMs`, 2×, 4×… for `attempts` tries; any other failure, or the
 * last one, is thrown. The work must be safe to repeat: a commit whose answer was lost may have
 * happened (the scan worker's writes are fenced by the row's attempt, so a repeat writes nothing).
 */
export async function retryOnLostConnection<T>(
  work: () => Promise<T>,
  { attempts = 8, firstDelayMs = 250 }: { readonly attempts?: number; readonly firstDelayMs?: number } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isLostConnection(error)) throw error;
      await delay(firstDelayMs * 2 ** (attempt - 1));
    }
  }
}
