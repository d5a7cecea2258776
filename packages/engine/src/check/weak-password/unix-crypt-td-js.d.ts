/** Types for `unix-crypt-td-js` (traditional DES crypt(3)), which ships none. */
declare module 'unix-crypt-td-js' {
  /** The 13-character DES crypt of `password`; only the first two characters of `salt` count. */
  export default function unixCryptTD(password: string, salt: string): string;
}
