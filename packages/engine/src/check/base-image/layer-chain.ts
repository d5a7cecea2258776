import { createHash } from 'node:crypto';

/**
 * The OCI chain id of every prefix of a layer list (image spec, config.md "Layer ChainID"):
 * ChainID(L0) = DiffID(L0), ChainID(L0..Ln) = sha256(ChainID(L0..Ln-1) + " " + DiffID(Ln)).
 * Element k names the first k + 1 layers exactly, so "the image's first layers equal an entry's
 * layers" becomes one indexed equality per prefix instead of a comparison with every entry.
 */
export function chainIds(diffIds: readonly string[]): string[] {
  const chain: string[] = [];
  let previous: string | undefined;
  for (const diffId of diffIds) {
    previous =
      previous === undefined
        ? diffId
        : `sha256:${createHash('sha256').update(`${previous} ${diffId}`).digest('hex')}`;
    chain.push(previous);
  }
  return chain;
}
