import { isDrydockError, type DrydockError } from '@drydock/engine';

/**
 * Whether a failure on one namespace or repository lets the listing go on without it: the thing
 * is gone (`not_found`), or the account may not read it (`authentication_failed` answered 403,
 * or any refusal once the credentials have proven good on an earlier call). A 401 on a web API
 * means the credentials themselves were rejected: the listing stops.
 */
export function isSkippable(error: unknown, credentialsProven: boolean): error is DrydockError {
  if (!isDrydockError(error)) return false;
  if (error.code === 'not_found') return true;
  if (error.code !== 'authentication_failed') return false;
  return credentialsProven || error.reason === 'forbidden';
}
