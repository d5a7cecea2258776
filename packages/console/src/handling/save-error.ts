import { describeError } from '../api/api-error.ts';
import { fieldErrorsOf } from '../api/api-field-errors.ts';

/**
 * Why saving one scan setting failed: the API's messages on that field or its items (`details.field`
 * with the reader's issues, or schema issues such as `weakPasswords.3`), or the failure as a whole;
 * undefined when nothing failed.
 */
export function listSaveError(error: unknown, field: string): string | undefined {
  if (error === null || error === undefined) return undefined;
  const onField = fieldErrorsOf(error).filter(
    (issue) => issue.path === field || issue.path.startsWith(`${field}.`),
  );
  return onField.length > 0 ? onField.map((issue) => issue.message).join('; ') : describeError(error);
}
