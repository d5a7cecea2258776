/**
 * Exit status of a program the kernel stopped with SIGPIPE (128 + 13), as a shell reports it.
 * Node ignores SIGPIPE, so a write to a pipe whose reader is gone fails with EPIPE instead.
 */
export const closedOutputExitCode = 141;

/**
 * A reader that stops early (`drydock image REF --format json | head`) closes the pipe. Without a
 * listener the failed write is an unhandled 'error' event: a stack trace on stderr. The command
 * stops quietly instead, with the status a program stopped by SIGPIPE has (`set -o pipefail`
 * scripts see the output was cut short, as they would with any other Unix tool).
 */
export function stopQuietlyWhenOutputCloses(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(closedOutputExitCode);
  });
}
