/**
 * Test support: minimal ELF executables carrying Go build information in the Go 1.13–1.17
 * pointer layout, which no Go toolchain on this machine still writes. The layout follows
 * https://go.dev/src/debug/buildinfo/buildinfo.go: a 32-byte header in `.go.buildinfo` (magic,
 * pointer size, byte order, then the addresses of the Go string headers of `runtime.buildVersion`
 * and `runtime.modinfo`), the string headers and bytes elsewhere in a loadable segment.
 */

/** cmd/go's modinfo framing sentinels (modload.infoStart / infoEnd). */
export const infoStart = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
export const infoEnd = Buffer.from('f932433186182072008242104116d8f2', 'hex');

export function framedModinfo(text: string): Buffer {
  return Buffer.concat([infoStart, Buffer.from(text), infoEnd]);
}

export interface PointerElfOptions {
  readonly is64: boolean;
  readonly bigEndian: boolean;
  readonly goVersion: string;
  readonly modinfo: Buffer;
  /** Leave out the section headers, as `strip --strip-section-headers` or sstrip would. */
  readonly withoutSections?: boolean;
}

const base = 0x400000;

export function pointerFormatElf(options: PointerElfOptions): Buffer {
  const { is64, bigEndian } = options;
  const pointer = is64 ? 8 : 4;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const shentsize = is64 ? 64 : 40;
  const buildinfoOffset = 0x100;
  const stringHeaders = buildinfoOffset + 32;
  const versionBytes = Buffer.from(options.goVersion);
  const versionOffset = stringHeaders + 4 * pointer;
  const modinfoOffset = versionOffset + versionBytes.length;
  const shstrtab = Buffer.from('\0.go.buildinfo\0.shstrtab\0');
  const shstrtabOffset = modinfoOffset + options.modinfo.length;
  const shoff = Math.ceil((shstrtabOffset + shstrtab.length) / 8) * 8;
  const size = shoff + 3 * shentsize;
  const out = Buffer.alloc(size);

  const u16 = (at: number, value: number) =>
    bigEndian ? out.writeUInt16BE(value, at) : out.writeUInt16LE(value, at);
  const u32 = (at: number, value: number) =>
    bigEndian ? out.writeUInt32BE(value, at) : out.writeUInt32LE(value, at);
  const word = (at: number, value: number) => {
    if (!is64) return u32(at, value);
    return bigEndian ? out.writeBigUInt64BE(BigInt(value), at) : out.writeBigUInt64LE(BigInt(value), at);
  };

  out.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, bigEndian ? 2 : 1, 1], 0);
  u16(16, 2); // ET_EXEC
  u16(18, is64 ? 62 : 3);
  u32(20, 1);
  word(24, base); // entry
  word(is64 ? 32 : 28, ehsize); // phoff
  word(is64 ? 40 : 32, options.withoutSections === true ? 0 : shoff);
  u16(is64 ? 52 : 40, ehsize);
  u16(is64 ? 54 : 42, phentsize);
  u16(is64 ? 56 : 44, 1);
  u16(is64 ? 58 : 46, shentsize);
  u16(is64 ? 60 : 48, options.withoutSections === true ? 0 : 3);
  u16(is64 ? 62 : 50, options.withoutSections === true ? 0 : 2);

  // One PT_LOAD, readable and writable, mapping the whole file at `base`.
  const ph = ehsize;
  u32(ph, 1);
  if (is64) {
    u32(ph + 4, 6);
    word(ph + 8, 0);
    word(ph + 16, base);
    word(ph + 24, base);
    word(ph + 32, size);
    word(ph + 40, size);
    word(ph + 48, 0x1000);
  } else {
    word(ph + 4, 0);
    word(ph + 8, base);
    word(ph + 12, base);
    word(ph + 16, size);
    word(ph + 20, size);
    u32(ph + 24, 6);
    word(ph + 28, 0x1000);
  }

  Buffer.from('\xff Go buildinf:', 'latin1').copy(out, buildinfoOffset);
  out[buildinfoOffset + 14] = pointer;
  out[buildinfoOffset + 15] = bigEndian ? 1 : 0;
  word(buildinfoOffset + 16, base + stringHeaders);
  word(buildinfoOffset + 16 + pointer, base + stringHeaders + 2 * pointer);
  word(stringHeaders, base + versionOffset);
  word(stringHeaders + pointer, versionBytes.length);
  word(stringHeaders + 2 * pointer, base + modinfoOffset);
  word(stringHeaders + 3 * pointer, options.modinfo.length);
  versionBytes.copy(out, versionOffset);
  options.modinfo.copy(out, modinfoOffset);
  shstrtab.copy(out, shstrtabOffset);

  const section = (
    index: number,
    name: number,
    type: number,
    address: number,
    offset: number,
    length: number,
  ) => {
    const at = shoff + index * shentsize;
    u32(at, name);
    u32(at + 4, type);
    if (is64) {
      word(at + 8, 3);
      word(at + 16, address);
      word(at + 24, offset);
      word(at + 32, length);
    } else {
      word(at + 8, 3);
      word(at + 12, address);
      word(at + 16, offset);
      word(at + 20, length);
    }
  };
  section(1, 1, 1, base + buildinfoOffset, buildinfoOffset, 32);
  section(2, 15, 3, 0, shstrtabOffset, shstrtab.length);
  return out;
}
