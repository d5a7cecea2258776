import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { formatJson, type ScanReport } from '@drydock/engine';
import { ApiServiceClient } from './service/api-service-client.ts';
import { isRemoteError, type RemoteError } from './service/remote-error.ts';
import { serverConnectionOf, type ServerConnection } from './service/server-options.ts';

/**
 * `drydock image --server`: after the local scan, the JSON report goes to the service
 * (`POST /api/v1/projects/{projectId}/ci-scans`) so the scan shows in the console as a CI scan. The
 * scan's own output and exit status do not change; a failed upload is an `UploadError`, which the
 * image command turns into exit status 3 unless the scan's status is already non-zero.
 */

/** Exit status of a scan whose report could not be sent to `--server`. */
export const uploadFailedExitCode = 3;

export const uploadErrorCodes = ['upload_failed'] as const;
export type UploadErrorCode = (typeof uploadErrorCodes)[number];

export class UploadError extends Error {
  readonly code: UploadErrorCode = 'upload_failed';
  /** The HTTP status of the service's answer; undefined when the service was not reached. */
  readonly status: number | undefined;
  /** The service's error code (`forbidden`, `not_found`, ...) or the client's (`server_unreachable`). */
  readonly reason: string;
  constructor(message: string, reason: string, status: number | undefined, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'UploadError';
    this.reason = reason;
    this.status = status;
  }
}

export function isUploadError(error: unknown): error is UploadError {
  return error instanceof UploadError;
}

/** The upload options of `drydock image`. */
export interface UploadOptions {
  readonly server?: string;
  readonly tokenFile?: string;
  readonly project?: string;
}

/** Where an upload went. */
export interface UploadResult {
  readonly id: string;
  readonly projectId: string;
  /** The API URL of the stored scan (`GET` it with the token to read it back). */
  readonly url: string;
  /**
   * The scan's detail in the web console the service serves at its root: the task manager's CI
   * scan tab with the scan open (`tasks?tab=ci&ciScan=<id>`). What the success line prints, since
   * a person follows it; the API URL above stays for scripts.
   */
  readonly consoleUrl: string;
}

/** Attempts of one upload; later ones reuse the Idempotency-Key, so the service stores it once. */
const attempts = 3;

/**
 * The service to upload to, resolved before the scan so a missing token fails at once: `--server`
 * only (DRYDOCK_SERVER alone does not upload every local scan), the token from `--token-file`
 * or DRYDOCK_TOKEN. Plain HTTP only to this machine.
 */
export async function uploadConnectionOf(
  options: UploadOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServerConnection | undefined> {
  if (options.server === undefined) return undefined;
  return serverConnectionOf(
    { server: options.server, ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }) },
    { ...env, DRYDOCK_SERVER: '' },
  );
}

function describeStatus(status: number | undefined): string {
  return status === undefined ? 'no answer' : `HTTP ${status}`;
}

/** Worth another attempt with the same key: no answer, too many requests, or a server error. */
function retryable(error: RemoteError): boolean {
  return error.status === undefined || error.status === 429 || error.status >= 500;
}

function uploadErrorOf(error: RemoteError): UploadError {
  return new UploadError(error.message, error.code, error.status, error);
}

/**
 * Sends the report to the project (`--project`, else the one the token sees) and returns where
 * it went. Network failures, 429 and 5xx are tried again with the same Idempotency-Key.
 */
export async function uploadReport(
  report: ScanReport,
  connection: ServerConnection,
  options: UploadOptions,
  retryDelayMs = 1000,
): Promise<UploadResult> {
  const client = new ApiServiceClient(connection);
  const reportJson = formatJson(report).trimEnd();
  const idempotencyKey = randomUUID();
  let projectId: string | undefined;
  for (let attempt = 1; ; attempt += 1) {
    try {
      projectId ??= (await client.project(options.project)).id;
      const stored = await client.uploadCiScan(projectId, reportJson, idempotencyKey);
      if (typeof stored.id !== 'string')
        throw new UploadError(
          'the server accepted the report but sent no scan id',
          'bad_response',
          undefined,
        );
      const path = `/api/v1/projects/${encodeURIComponent(projectId)}/ci-scans/${encodeURIComponent(stored.id)}`;
      return {
        id: stored.id,
        projectId,
        url: `${connection.baseUrl}${path}`,
        consoleUrl: `${connection.baseUrl}/projects/${encodeURIComponent(projectId)}/tasks?tab=ci&ciScan=${encodeURIComponent(stored.id)}`,
      };
    } catch (error) {
      if (!isRemoteError(error)) throw error;
      // The project lookup is not retried: it is not the upload that failed.
      if (projectId === undefined || attempt >= attempts || !retryable(error)) throw uploadErrorOf(error);
      await delay(retryDelayMs * attempt);
    }
  }
}

/** The line standard error gets for a failed upload: the typed code, the status and the reason. */
export function uploadFailureLine(error: UploadError, baseUrl: string): string {
  return `[${error.code} (${describeStatus(error.status)} ${error.reason})] the report was not uploaded to ${baseUrl}: ${error.message}`;
}

/**
 * Uploads after a finished scan and says on standard error where the report went. Returns the
 * exit status: the scan's own, or `uploadFailedExitCode` when the upload failed and the scan's
 * status was 0 (a failed gate stays the failed gate).
 */
export async function uploadAfterScan(
  report: ScanReport,
  connection: ServerConnection,
  options: UploadOptions,
  scanExitCode: number,
  write: (line: string) => void,
): Promise<number> {
  try {
    const result = await uploadReport(report, connection, options);
    write(`drydock: report uploaded as CI scan ${result.id}: ${result.consoleUrl}`);
    return scanExitCode;
  } catch (error) {
    if (!isUploadError(error)) throw error;
    write(`drydock: error ${uploadFailureLine(error, connection.baseUrl)}`);
    return scanExitCode === 0 ? uploadFailedExitCode : scanExitCode;
  }
}
