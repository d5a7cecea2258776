/** A platform as results name it (`linux/arm64/v8`); a single-platform image's result has `''`. */
export function platformLabel(platform: string): string {
  return platform === '' ? 'Single platform' : platform;
}
