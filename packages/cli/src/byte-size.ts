const factors: Readonly<Record<string, number>> = {
  '': 1,
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
  T: 1024 ** 4,
};

/** Parses `500M`, `4G`, `2GiB`, `100k` or a plain number of bytes; undefined when it is none of them. */
export function parseByteSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(text.trim());
  if (!match?.[1]) return undefined;
  const factor = factors[(match[2] ?? '').toUpperCase()];
  return factor === undefined ? undefined : Math.floor(Number(match[1]) * factor);
}
