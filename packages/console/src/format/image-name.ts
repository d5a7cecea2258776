import type { RepositoryImage } from '../api/image-types.ts';

/**
 * An image as pickers and lists of affected images name it: `repository:tag (registry)`, the
 * registry telling apart the same repository in two connections.
 */
export function imageChoiceLabel(
  image: Pick<RepositoryImage, 'repository' | 'tag' | 'connectionName'>,
): string {
  return `${image.repository}:${image.tag} (${image.connectionName})`;
}
