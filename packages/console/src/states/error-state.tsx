import { Alert, Button } from 'antd';
import { describeError, isConsoleApiError } from '../api/api-error.ts';

/**
 * A failed load: the API's message (never a stack), the request id to quote, and a retry. A
 * refused permission reads as such rather than as a fault.
 */
export function ErrorState({
  error,
  onRetry,
  title,
}: {
  readonly error: unknown;
  readonly onRetry?: () => void;
  readonly title?: string;
}) {
  const forbidden = isConsoleApiError(error) && error.code === 'forbidden';
  return (
    <Alert
      type={forbidden ? 'warning' : 'error'}
      showIcon
      title={title ?? (forbidden ? 'You may not see this' : 'This could not be loaded')}
      description={describeError(error)}
      action={
        onRetry && !forbidden ? (
          <Button size="small" onClick={onRetry}>
            Retry
          </Button>
        ) : undefined
      }
    />
  );
}
