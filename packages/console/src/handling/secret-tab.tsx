import { Flex } from 'antd';
import { PathAllowlistCard } from './path-allowlist-card.tsx';
import { SecretIgnoresCard } from './secret-ignores-card.tsx';

/**
 * Sensitive-information handling (PRODUCT.md 4.1): findings ignored one by one, and the project's
 * path allowlist, which keeps whole paths out of the search.
 */
export function SecretTab({ projectId }: { readonly projectId: string }) {
  return (
    <Flex vertical gap={16}>
      <SecretIgnoresCard projectId={projectId} />
      <PathAllowlistCard projectId={projectId} />
    </Flex>
  );
}
