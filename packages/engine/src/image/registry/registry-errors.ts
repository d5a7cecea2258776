import { z } from 'zod';
import { DrydockError, type FailureCode } from '../../util/errors.ts';

/**
 * Maps a registry's error answer to a typed failure. Distribution registries send a JSON body
 * `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"…","detail":…}]}` (distribution spec,
 * "Error Codes": https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes);
 * the status decides when the body says nothing useful. The registry's own code and message go into
 * `details` (truncated); request headers never do.
 */
const errorBodySchema = z.object({
  errors: z
    .array(z.object({ code: z.string().optional(), message: z.string().optional() }).passthrough())
    .min(1),
});

export interface RegistryErrorInfo {
  readonly code: string | undefined;
  readonly message: string | undefined;
}

/** The first error of a distribution error body, when the body is one. */
export function parseRegistryErrorBody(body: Buffer | undefined): RegistryErrorInfo | undefined {
  if (body === undefined || body.length === 0) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const first = parsed.data.errors[0];
  return { code: first?.code?.slice(0, 64), message: first?.message?.slice(0, 300) };
}

const notFoundCodes: ReadonlySet<string> = new Set([
  'NAME_UNKNOWN',
  'MANIFEST_UNKNOWN',
  'BLOB_UNKNOWN',
  'BLOB_UPLOAD_UNKNOWN',
]);
const deniedCodes: ReadonlySet<string> = new Set(['UNAUTHORIZED', 'DENIED']);

function failureFor(
  status: number,
  registryCode: string | undefined,
): { readonly code: FailureCode; readonly reason: string } {
  if (registryCode !== undefined && notFoundCodes.has(registryCode))
    return { code: 'not_found', reason: registryCode.toLowerCase() };
  if (registryCode !== undefined && deniedCodes.has(registryCode))
    return { code: 'authentication_failed', reason: registryCode.toLowerCase() };
  if (registryCode === 'TOOMANYREQUESTS' || status === 429)
    return { code: 'registry_rate_limited', reason: 'too_many_requests' };
  if (status === 401) return { code: 'authentication_failed', reason: 'unauthorized' };
  if (status === 403) return { code: 'authentication_failed', reason: 'denied' };
  if (status === 404) return { code: 'not_found', reason: 'not_found' };
  if (registryCode === 'NAME_INVALID' || registryCode === 'TAG_INVALID')
    return { code: 'invalid_reference', reason: registryCode.toLowerCase() };
  if (registryCode === 'MANIFEST_INVALID' || registryCode === 'MANIFEST_UNVERIFIED')
    return { code: 'malformed_image', reason: registryCode.toLowerCase() };
  if (registryCode === 'UNSUPPORTED' || status === 406 || status === 415)
    return { code: 'unsupported_media_type', reason: 'unsupported' };
  if (status >= 500) return { code: 'download_failed', reason: 'server_error' };
  return { code: 'download_failed', reason: 'unexpected_status' };
}

/**
 * The failure for a non-success answer. `what` names the object (`manifest latest of library/alpine`)
 * and `host` the registry; neither may contain secrets.
 */
export function registryError(
  status: number,
  body: Buffer | undefined,
  what: string,
  host: string,
): DrydockError {
  const info = parseRegistryErrorBody(body);
  const { code, reason } = failureFor(status, info?.code);
  const said = info?.code ? `: ${info.code}${info.message ? ` ${info.message}` : ''}` : '';
  const leads: Partial<Record<FailureCode, string>> = {
    not_found: `${what} was not found on ${host}`,
    authentication_failed: `${host} refused access to ${what}`,
    registry_rate_limited: `${host} rate-limited the request for ${what}`,
    invalid_reference: `${host} rejected the name of ${what}`,
    malformed_image: `${host} says ${what} is invalid`,
    unsupported_media_type: `${host} cannot serve ${what} in a supported format`,
    download_failed: `fetching ${what} from ${host} failed with HTTP ${status}`,
  };
  return new DrydockError(
    code,
    `${leads[code] ?? `fetching ${what} from ${host} failed`} (HTTP ${status}${said})`,
    {
      reason,
      details: {
        host,
        status,
        ...(info?.code ? { registryCode: info.code } : {}),
        ...(info?.message ? { registryMessage: info.message } : {}),
      },
    },
  );
}
