import { Result } from 'antd';

/**
 * A console page that is not built yet: it says so plainly rather than showing made-up data, and
 * names what it will hold and the API it will use (packages/console/readme.md lists these pages).
 */
export function NotBuiltState({
  title,
  plannedContent,
  api,
}: {
  readonly title: string;
  readonly plannedContent: string;
  readonly api: string;
}) {
  return (
    <Result
      status="info"
      title={`${title}: not built yet`}
      subTitle={
        <>
          <p>{plannedContent}</p>
          <p>
            Until then, the HTTP API has it: <code>{api}</code> (see the API documentation at{' '}
            <a href="/api/v1/docs">/api/v1/docs</a>).
          </p>
        </>
      }
      data-testid="not-built"
    />
  );
}
