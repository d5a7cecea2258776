import { Button, Result } from 'antd';
import { Link } from 'react-router';

/** Any path the console does not know. */
export function NotFoundPage() {
  return (
    <Result
      status="404"
      title="Page not found"
      subTitle="This address is not a page of the Drydock console."
      extra={
        <Link to="/">
          <Button type="primary">Open the console</Button>
        </Link>
      }
    />
  );
}
