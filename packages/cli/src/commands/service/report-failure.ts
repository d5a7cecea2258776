import pc from 'picocolors';
import { printError } from '../../print-error.ts';
import { isRemoteError } from './remote-error.ts';

export const failureExitCode = 2;

function printCoded(code: string, message: string, details: Readonly<Record<string, unknown>>): void {
  const issues = Array.isArray(details['issues'])
    ? (details['issues'] as { path: string; message: string }[])
        .map((issue) => `\n  ${issue.path}: ${issue.message}`)
        .join('')
    : '';
  process.stderr.write(`${pc.red('drydock: error')} [${code}] ${message}${issues}\n`);
}

/**
 * Prints why a service command failed: a service error (from the local service, or the API's
 * `{ code, message, details }` through a server) with its code and the fields at fault, a locked
 * embedded database, or anything else through the engine's typed errors. Every failure exits with
 * the same status in both modes. The service library is loaded only for errors that can come
 * from it, so a failed call to a server does not load the database code.
 */
export async function reportFailure(error: unknown): Promise<number> {
  if (isRemoteError(error)) {
    printCoded(error.code, error.message, error.details);
    return failureExitCode;
  }
  const { isServiceError } = await import('@drydock/server');
  if (isServiceError(error)) {
    printCoded(error.code, error.message, error.details);
    return failureExitCode;
  }
  if (error instanceof Error && (error as { code?: unknown }).code === 'data_dir_locked') {
    process.stderr.write(`${pc.red('drydock: error')} [data_dir_locked] ${error.message}\n`);
    return failureExitCode;
  }
  printError(error);
  return failureExitCode;
}
