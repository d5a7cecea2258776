import type { Extract, Header } from 'tar-stream';

/** One entry of tar-stream's extract (its type is not exported by name). */
export type TarEntry = Extract extends AsyncIterable<infer Entry> ? Entry : never;

/**
 * A tar header as tar-stream really yields it: its typings promise more than a hostile or old tar
 * delivers (a typeflag it does not know decodes to `null`, an unparsable mode to `NaN`, no link
 * name to `null`).
 */
export interface TarHeader {
  readonly name: string;
  readonly size: number;
  readonly mode: number;
  readonly type: Header['type'] | null;
  readonly linkname: string | null;
}
