import pc from 'picocolors';
import { isServiceError } from '@drydock/server';
import { printError } from '../../print-error.ts';

export const failureExitCode = 2;

/**
 * Prints why a service command failed: a service error with its code and the fields at fault, a
 * locked embedded database, or anything else through the engine's typed errors.
 */
export function reportFailure(error: unknown): number {
  if (isServiceError(error)) {
    const issues = Array.isArray(error.details['issues'])
      ? (error.details['issues'] as { path: string; message: string }[])
          .map((issue) => `\n  ${issue.path}: ${issue.message}`)
          .join('')
      : '';
    process.stderr.write(`${pc.red('drydock: error')} [${error.code}] ${error.message}${issues}\n`);
    return failureExitCode;
  }
  if (error instanceof Error && (error as { code?: unknown }).code === 'data_dir_locked') {
    process.stderr.write(`${pc.red('drydock: error')} [data_dir_locked] ${error.message}\n`);
    return failureExitCode;
  }
  printError(error);
  return failureExitCode;
}
