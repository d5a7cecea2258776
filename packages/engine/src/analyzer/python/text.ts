import { TextDecoder } from 'node:util';

const utf16le = new TextDecoder('utf-16le');
const utf16be = new TextDecoder('utf-16be');
const utf8 = new TextDecoder('utf-8');

/**
 * Decodes a text file written by Python tooling: UTF-8 unless a byte-order mark says UTF-16
 * (pip reads requirement files by their BOM: https://pip.pypa.io/en/stable/reference/requirements-file-format/#encoding).
 * Invalid sequences become U+FFFD rather than failing.
 */
export function decodeText(content: Buffer): string {
  if (content[0] === 0xff && content[1] === 0xfe) return utf16le.decode(content.subarray(2));
  if (content[0] === 0xfe && content[1] === 0xff) return utf16be.decode(content.subarray(2));
  if (content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf)
    return utf8.decode(content.subarray(3));
  return utf8.decode(content);
}
