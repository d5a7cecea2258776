/**
 * API tokens belong to the signed-in user, not to a project (one token may serve every project),
 * so their key sits beside `['me']` rather than under a project; signing out clears it with the
 * rest of the cache.
 */
export const tokenQueryKeys = {
  tokens: () => ['me', 'tokens'] as const,
};
