import { describeError, isConsoleApiError } from './api-error.ts';
import { isRecord } from './is-record.ts';

/**
 * The fields an `invalid_request` answer names, so a form can show each message on its field. The
 * API names them two ways: schema and parse failures list `details.issues` as `{ path, message }`
 * (`path` dotted, `riskTypes.0`), the service's own checks give `details.field` with the answer's
 * message (and sometimes `details.issues` as plain strings, as the compliance policy reader does).
 */
export interface FieldError {
  /** Dotted path of the body field (`periodDays`, `scope.types`); '' when the body as a whole is at fault. */
  readonly path: string;
  readonly message: string;
}

/** Every field error of an API failure; empty for any other failure. */
export function fieldErrorsOf(error: unknown): readonly FieldError[] {
  if (!isConsoleApiError(error) || error.code !== 'invalid_request' || !error.details) return [];
  const { field, issues } = error.details;
  const listed = Array.isArray(issues) ? issues : [];
  if (typeof field === 'string') {
    const texts = listed.filter((issue): issue is string => typeof issue === 'string');
    const message = texts.length > 0 ? `${error.message}: ${texts.join('; ')}` : error.message;
    return [{ path: field, message }];
  }
  return listed.flatMap((issue): FieldError[] =>
    isRecord(issue) && typeof issue['path'] === 'string' && typeof issue['message'] === 'string'
      ? [{ path: issue['path'], message: issue['message'] }]
      : [],
  );
}

/** A form's slice of the errors: which shown on which field, and the rest (for an alert). */
export interface PlacedFieldErrors<F extends string> {
  readonly byField: ReadonlyMap<F, readonly string[]>;
  readonly unplaced: readonly FieldError[];
}

/**
 * Places each error on the form field its path starts with (`riskTypes.0` → `riskTypes`), using
 * `fieldOf` for paths whose field has another name in the form; what no field takes is unplaced.
 */
export function placeFieldErrors<F extends string>(
  errors: readonly FieldError[],
  fields: readonly F[],
  fieldOf: (path: string) => F | undefined = () => undefined,
): PlacedFieldErrors<F> {
  const byField = new Map<F, string[]>();
  const unplaced: FieldError[] = [];
  for (const error of errors) {
    const head = error.path.split('.')[0] ?? '';
    const field = fieldOf(error.path) ?? fields.find((candidate) => candidate === head);
    if (field === undefined) {
      unplaced.push(error);
      continue;
    }
    byField.set(field, [...(byField.get(field) ?? []), error.message]);
  }
  return { byField, unplaced };
}

/** The text of an unplaced error: the field it names, if any, and the message. */
export function describeFieldError(error: FieldError): string {
  return error.path === '' ? error.message : `${error.path}: ${error.message}`;
}

/** A form's `setFields` entries for the errors of a failed save that its fields take. */
export function formFieldErrors<F extends string>(
  error: unknown,
  fields: readonly F[],
  fieldOf?: (path: string) => F | undefined,
): { readonly name: F; readonly errors: string[] }[] {
  const placed = placeFieldErrors(fieldErrorsOf(error), fields, fieldOf);
  return [...placed.byField].map(([name, errors]) => ({ name, errors: [...errors] }));
}

/**
 * What a form shows beside its fields after a failed save: the failure as a whole when it names no
 * field, the issues no field takes, or nothing when every issue sits on a field (and nothing when
 * nothing failed: `error` null or undefined).
 */
export function formFailureText<F extends string>(
  error: unknown,
  fields: readonly F[],
  fieldOf?: (path: string) => F | undefined,
): string | undefined {
  if (error === null || error === undefined) return undefined;
  const errors = fieldErrorsOf(error);
  if (errors.length === 0) return describeError(error);
  const unplaced = placeFieldErrors(errors, fields, fieldOf).unplaced;
  return unplaced.length > 0 ? unplaced.map(describeFieldError).join('; ') : undefined;
}
