const units = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Sizes in powers of 1024 with one decimal past the first unit (`12.3 MB`), as registries show them. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} ${units[unit]}` : `${value.toFixed(1)} ${units[unit]}`;
}
