import { ReloadOutlined } from '@ant-design/icons';
import { Button } from 'antd';

/** The parts of a TanStack query a refresh reads. */
interface RefreshableQuery {
  readonly isFetching: boolean;
  readonly isPending: boolean;
  refetch(): unknown;
}

/**
 * Reads a page's data again. It spins while a read runs in the background (a refresh, a poll);
 * the first load shows the page's own loading state instead.
 */
export function RefreshButton({ query }: { readonly query: RefreshableQuery }) {
  return (
    <Button
      icon={<ReloadOutlined />}
      onClick={() => void query.refetch()}
      loading={query.isFetching && !query.isPending}
    >
      Refresh
    </Button>
  );
}
