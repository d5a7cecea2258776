import { Alert } from 'antd';
import { useMe } from '../access/use-me.ts';
import { LoadingState } from '../states/loading-state.tsx';

/**
 * A card's content the user's role may not see: says so and why, instead of a refused call. While
 * the permissions load it shows loading, not a refusal that would flash and go.
 */
export function PermissionNotice({ reason }: { readonly reason: string }) {
  const me = useMe();
  if (!me.data) return <LoadingState label="Loading your permissions…" minHeight={80} />;
  return (
    <Alert
      type="info"
      showIcon
      title="Not available to your role"
      description={reason}
      data-reason={reason}
    />
  );
}
