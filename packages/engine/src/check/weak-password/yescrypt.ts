/**
 * yescrypt (`$y$...`), Debian 12's default password hash, written here from its specification
 * (Alexander Peslyak's yescrypt 1.x as shipped in libxcrypt): no JavaScript or WebAssembly
 * implementation is on the npm registry, and a scan must not start a process per guess.
 *
 * Supported: the `$y$` format without a ROM and without hash upgrades (`g`), in its classic scrypt,
 * WORM and RW flavours; everything libxcrypt and mkpasswd produce by default. The tests check it
 * against hashes from mkpasswd (libxcrypt).
 */
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';

const flagRw = 0x002;
const modeMask = 0x003;
const rwFlavorMask = 0x3fc;
const flagPrehash = 0x10000000;
/** The only pwxform flavour yescrypt 1.x defines: 6 rounds, gather 4, simple 2, 12 KiB S-boxes. */
const rwDefaults = flagRw | 0x004 | 0x010 | 0x020 | 0x080;

/** pwxform: 4 gathers of 2 lanes of 64 bits per 64-byte block; S-boxes of 2^8 lanes each. */
const sboxWords = 3 * 256 * 2 * 2;
const sboxPairsMask = 256 * 2 - 1;
const sboxIndexMask = 0xff0;

/** Refuse work whose memory (128·r·N bytes) would not be sensible for a scanner's worker. */
const maxMemoryBytes = 256 * 1024 * 1024;

export interface YescryptParams {
  readonly flags: number;
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly t: number;
}

export interface YescryptSetting {
  readonly params: YescryptParams;
  readonly salt: Buffer;
  /** The stored hash: the 43 characters after the last `$`. */
  readonly hash: string;
  /** Everything before the hash, `$y$j9T$salt`. */
  readonly prefix: string;
}

const alphabet = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function charValue(text: string, at: number): number {
  const value = alphabet.indexOf(text[at] ?? '');
  if (value === -1) throw new Error('not a yescrypt base-64 character');
  return value;
}

/** yescrypt's variable-length integer: the first character's range says how many follow. */
function decodeVarint(text: string, at: number, min: number): [number, number] {
  let start = 0;
  let end = 47;
  let chars = 1;
  let bits = 0;
  const first = charValue(text, at++);
  let value = min;
  while (first > end) {
    value += (end + 1 - start) * 2 ** bits;
    start = end + 1;
    end = start + Math.floor((62 - end) / 2);
    chars++;
    bits += 6;
  }
  value += (first - start) * 2 ** bits;
  while (--chars > 0) {
    bits -= 6;
    value += charValue(text, at++) * 2 ** bits;
  }
  return [value, at];
}

/** yescrypt's byte encoding: little-endian groups of 3 bytes, 6 bits a character, low bits first. */
function decodeBytes(text: string): Buffer {
  const out: number[] = [];
  for (let at = 0; at < text.length; at += 4) {
    const group = text.slice(at, at + 4);
    let value = 0;
    for (let i = 0; i < group.length; i++) value += charValue(group, i) * 2 ** (6 * i);
    const bytes = Math.floor((group.length * 6) / 8);
    if (bytes === 0) throw new Error('a yescrypt base-64 group without a whole byte');
    for (let i = 0; i < bytes; i++) out.push(Math.floor(value / 2 ** (8 * i)) & 0xff);
  }
  return Buffer.from(out);
}

function encodeBytes(bytes: Uint8Array): string {
  let out = '';
  for (let at = 0; at < bytes.length; at += 3) {
    const group = bytes.subarray(at, at + 3);
    let value = 0;
    group.forEach((byte, i) => (value |= byte << (8 * i)));
    for (let bits = 0; bits < group.length * 8; bits += 6) out += alphabet[(value >>> bits) & 0x3f];
  }
  return out;
}

/** Parses a `$y$` hash; throws on anything this implementation cannot compute. */
export function parseYescryptSetting(hash: string): YescryptSetting {
  if (!hash.startsWith('$y$')) throw new Error('not a yescrypt hash');
  const [flavor, afterFlavor] = decodeVarint(hash, 3, 0);
  let flags: number;
  if (flavor < flagRw) flags = flavor;
  else if (flavor <= flagRw + (rwFlavorMask >> 2)) flags = flagRw + ((flavor - flagRw) << 2);
  else throw new Error('unknown yescrypt flavour');
  const [log2N, afterN] = decodeVarint(hash, afterFlavor, 1);
  const [r, afterR] = decodeVarint(hash, afterN, 1);
  let at = afterR;
  let p = 1;
  let t = 0;
  if (hash[at] !== '$') {
    let have: number;
    [have, at] = decodeVarint(hash, at, 1);
    if (have & 1) [p, at] = decodeVarint(hash, at, 2);
    if (have & 2) [t, at] = decodeVarint(hash, at, 1);
    if (have & ~3) throw new Error('yescrypt hash upgrades and ROMs are not supported');
  }
  if (hash[at] !== '$') throw new Error('malformed yescrypt parameters');
  const last = hash.lastIndexOf('$');
  if (last <= at) throw new Error('a yescrypt hash without a salt');
  const N = 2 ** log2N;
  if (log2N < 1 || log2N > 30 || r * p >= 2 ** 30 || 128 * r * N > maxMemoryBytes) {
    throw new Error('yescrypt parameters out of the supported range');
  }
  if ((flags & modeMask) === flagRw && (flags & ~flagPrehash) !== rwDefaults) {
    throw new Error('unknown pwxform flavour');
  }
  if ((flags & modeMask) === flagRw && (N / p <= 1 || r < 1)) throw new Error('invalid yescrypt parameters');
  if ((flags & modeMask) === 0 && t !== 0) throw new Error('classic scrypt takes no time parameter');
  return {
    params: { flags, N, r, p, t },
    salt: decodeBytes(hash.slice(at + 1, last)),
    hash: hash.slice(last + 1),
    prefix: hash.slice(0, last),
  };
}

/** Salsa20 core over 16 words of `block` at `offset`, in yescrypt's shuffled word order. */
function salsa20(block: Uint32Array, offset: number, doubleRounds: number): void {
  // Unshuffle: shuffled word i holds Salsa20 word i·5 mod 16.
  let x0 = block[offset]!;
  let x5 = block[offset + 1]!;
  let x10 = block[offset + 2]!;
  let x15 = block[offset + 3]!;
  let x4 = block[offset + 4]!;
  let x9 = block[offset + 5]!;
  let x14 = block[offset + 6]!;
  let x3 = block[offset + 7]!;
  let x8 = block[offset + 8]!;
  let x13 = block[offset + 9]!;
  let x2 = block[offset + 10]!;
  let x7 = block[offset + 11]!;
  let x12 = block[offset + 12]!;
  let x1 = block[offset + 13]!;
  let x6 = block[offset + 14]!;
  let x11 = block[offset + 15]!;
  for (let round = 0; round < doubleRounds; round++) {
    let u: number;
    u = (x0 + x12) | 0;
    x4 ^= (u << 7) | (u >>> 25);
    u = (x4 + x0) | 0;
    x8 ^= (u << 9) | (u >>> 23);
    u = (x8 + x4) | 0;
    x12 ^= (u << 13) | (u >>> 19);
    u = (x12 + x8) | 0;
    x0 ^= (u << 18) | (u >>> 14);
    u = (x5 + x1) | 0;
    x9 ^= (u << 7) | (u >>> 25);
    u = (x9 + x5) | 0;
    x13 ^= (u << 9) | (u >>> 23);
    u = (x13 + x9) | 0;
    x1 ^= (u << 13) | (u >>> 19);
    u = (x1 + x13) | 0;
    x5 ^= (u << 18) | (u >>> 14);
    u = (x10 + x6) | 0;
    x14 ^= (u << 7) | (u >>> 25);
    u = (x14 + x10) | 0;
    x2 ^= (u << 9) | (u >>> 23);
    u = (x2 + x14) | 0;
    x6 ^= (u << 13) | (u >>> 19);
    u = (x6 + x2) | 0;
    x10 ^= (u << 18) | (u >>> 14);
    u = (x15 + x11) | 0;
    x3 ^= (u << 7) | (u >>> 25);
    u = (x3 + x15) | 0;
    x7 ^= (u << 9) | (u >>> 23);
    u = (x7 + x3) | 0;
    x11 ^= (u << 13) | (u >>> 19);
    u = (x11 + x7) | 0;
    x15 ^= (u << 18) | (u >>> 14);
    u = (x0 + x3) | 0;
    x1 ^= (u << 7) | (u >>> 25);
    u = (x1 + x0) | 0;
    x2 ^= (u << 9) | (u >>> 23);
    u = (x2 + x1) | 0;
    x3 ^= (u << 13) | (u >>> 19);
    u = (x3 + x2) | 0;
    x0 ^= (u << 18) | (u >>> 14);
    u = (x5 + x4) | 0;
    x6 ^= (u << 7) | (u >>> 25);
    u = (x6 + x5) | 0;
    x7 ^= (u << 9) | (u >>> 23);
    u = (x7 + x6) | 0;
    x4 ^= (u << 13) | (u >>> 19);
    u = (x4 + x7) | 0;
    x5 ^= (u << 18) | (u >>> 14);
    u = (x10 + x9) | 0;
    x11 ^= (u << 7) | (u >>> 25);
    u = (x11 + x10) | 0;
    x8 ^= (u << 9) | (u >>> 23);
    u = (x8 + x11) | 0;
    x9 ^= (u << 13) | (u >>> 19);
    u = (x9 + x8) | 0;
    x10 ^= (u << 18) | (u >>> 14);
    u = (x15 + x14) | 0;
    x12 ^= (u << 7) | (u >>> 25);
    u = (x12 + x15) | 0;
    x13 ^= (u << 9) | (u >>> 23);
    u = (x13 + x12) | 0;
    x14 ^= (u << 13) | (u >>> 19);
    u = (x14 + x13) | 0;
    x15 ^= (u << 18) | (u >>> 14);
  }
  block[offset] = block[offset]! + x0;
  block[offset + 1] = block[offset + 1]! + x5;
  block[offset + 2] = block[offset + 2]! + x10;
  block[offset + 3] = block[offset + 3]! + x15;
  block[offset + 4] = block[offset + 4]! + x4;
  block[offset + 5] = block[offset + 5]! + x9;
  block[offset + 6] = block[offset + 6]! + x14;
  block[offset + 7] = block[offset + 7]! + x3;
  block[offset + 8] = block[offset + 8]! + x8;
  block[offset + 9] = block[offset + 9]! + x13;
  block[offset + 10] = block[offset + 10]! + x2;
  block[offset + 11] = block[offset + 11]! + x7;
  block[offset + 12] = block[offset + 12]! + x12;
  block[offset + 13] = block[offset + 13]! + x1;
  block[offset + 14] = block[offset + 14]! + x6;
  block[offset + 15] = block[offset + 15]! + x11;
}

function xorInto(
  target: Uint32Array,
  targetAt: number,
  source: Uint32Array,
  sourceAt: number,
  words: number,
): void {
  for (let i = 0; i < words; i++) target[targetAt + i]! ^= source[sourceAt + i]!;
}

/** scrypt's BlockMix with Salsa20/8, over 2r 64-byte blocks; `scratch` holds 32r words. */
function blockmixSalsa8(block: Uint32Array, scratch: Uint32Array, r: number): void {
  const last = new Uint32Array(block.subarray((2 * r - 1) * 16, 2 * r * 16));
  for (let i = 0; i < 2 * r; i++) {
    xorInto(last, 0, block, i * 16, 16);
    salsa20(last, 0, 4);
    scratch.set(last, i * 16);
  }
  for (let i = 0; i < r; i++) {
    block.set(scratch.subarray(i * 2 * 16, i * 2 * 16 + 16), i * 16);
    block.set(scratch.subarray((i * 2 + 1) * 16, (i * 2 + 1) * 16 + 16), (i + r) * 16);
  }
}

/** The pwxform state: three S-boxes rotating through one array, and the write position. */
interface PwxformState {
  readonly sbox: Uint32Array;
  s0: number;
  s1: number;
  s2: number;
  /** Next 64-bit lane of S2 to write. */
  w: number;
}

/** pwxform on one 64-byte block: 6 rounds of multiply, add and xor with S-box lookups. */
function pwxform(x: Uint32Array, state: PwxformState): void {
  const sbox = state.sbox;
  const s0 = state.s0;
  const s1 = state.s1;
  const s2 = state.s2;
  let w = state.w;
  for (let round = 0; round < 6; round++) {
    const writes = round !== 0 && round !== 5;
    for (let j = 0; j < 4; j++) {
      const base = j * 4;
      const p0 = s0 + ((x[base]! & sboxIndexMask) >>> 2);
      const p1 = s1 + ((x[base + 1]! & sboxIndexMask) >>> 2);
      for (let k = 0; k < 2; k++) {
        const at = base + k * 2;
        const a = x[at]!;
        const b = x[at + 1]!;
        // 32×32→64 multiplication in 16-bit halves, exact in doubles.
        const al = a & 0xffff;
        const ah = a >>> 16;
        const bl = b & 0xffff;
        const bh = b >>> 16;
        const ll = al * bl;
        const lh = al * bh;
        const hl = ah * bl;
        const middle = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
        const productLow = (((middle & 0xffff) << 16) | (ll & 0xffff)) >>> 0;
        const productHigh = ah * bh + (lh >>> 16) + (hl >>> 16) + (middle >>> 16);
        const sumLow = productLow + sbox[p0 + k * 2]!;
        const carry = sumLow > 0xffffffff ? 1 : 0;
        const low = (sumLow ^ sbox[p1 + k * 2]!) >>> 0;
        const high = ((productHigh + sbox[p0 + k * 2 + 1]! + carry) ^ sbox[p1 + k * 2 + 1]!) >>> 0;
        x[at] = low;
        x[at + 1] = high;
        if (writes) {
          sbox[s2 + w * 2] = low;
          sbox[s2 + w * 2 + 1] = high;
          w++;
        }
      }
    }
  }
  state.s0 = s2;
  state.s1 = s0;
  state.s2 = s1;
  state.w = w & sboxPairsMask;
}

/** BlockMix with pwxform over 2r 64-byte blocks, then Salsa20/2 on the last. */
function blockmixPwxform(block: Uint32Array, lane: Uint32Array, state: PwxformState, r: number): void {
  const blocks = 2 * r;
  lane.set(block.subarray((blocks - 1) * 16, blocks * 16));
  for (let i = 0; i < blocks; i++) {
    if (blocks > 1) xorInto(lane, 0, block, i * 16, 16);
    pwxform(lane, state);
    block.set(lane, i * 16);
  }
  salsa20(block, (blocks - 1) * 16, 1);
}

function largestPowerOfTwoAtMost(value: number): number {
  return 2 ** Math.floor(Math.log2(value));
}

interface Work {
  readonly r: number;
  readonly x: Uint32Array;
  readonly scratch: Uint32Array;
  readonly lane: Uint32Array;
}

function mix(work: Work, state: PwxformState | undefined): void {
  if (state === undefined) blockmixSalsa8(work.x, work.scratch, work.r);
  else blockmixPwxform(work.x, work.lane, state, work.r);
}

/** Loads block `b` (natural word order) into the work block in the shuffled order. */
function load(work: Work, b: Uint32Array, at: number): void {
  for (let k = 0; k < 2 * work.r; k++) {
    for (let i = 0; i < 16; i++) work.x[k * 16 + i] = b[at + k * 16 + ((i * 5) % 16)]!;
  }
}

function store(work: Work, b: Uint32Array, at: number): void {
  for (let k = 0; k < 2 * work.r; k++) {
    for (let i = 0; i < 16; i++) b[at + k * 16 + ((i * 5) % 16)] = work.x[k * 16 + i]!;
  }
}

/** The first loop of SMix: fills V, in RW mode also reading back from what it has written. */
function smix1(
  b: Uint32Array,
  at: number,
  work: Work,
  n: number,
  rw: boolean,
  v: Uint32Array,
  vAt: number,
  state: PwxformState | undefined,
): void {
  const words = 32 * work.r;
  const integerAt = (2 * work.r - 1) * 16;
  load(work, b, at);
  for (let i = 0; i < n; i++) {
    v.set(work.x, vAt + i * words);
    if (rw && i > 1) {
      const power = largestPowerOfTwoAtMost(i);
      const j = (work.x[integerAt]! & (power - 1)) + (i - power);
      xorInto(work.x, 0, v, vAt + j * words, words);
    }
    mix(work, state);
  }
  store(work, b, at);
}

/** The second loop of SMix: data-dependent reads of V, and in RW mode writes back. */
function smix2(
  b: Uint32Array,
  at: number,
  work: Work,
  n: number,
  loops: number,
  rw: boolean,
  v: Uint32Array,
  vAt: number,
  state: PwxformState | undefined,
): void {
  const words = 32 * work.r;
  const integerAt = (2 * work.r - 1) * 16;
  load(work, b, at);
  for (let i = 0; i < loops; i++) {
    const j = work.x[integerAt]! & (n - 1);
    xorInto(work.x, 0, v, vAt + j * words, words);
    if (rw) v.set(work.x, vAt + j * words);
    mix(work, state);
  }
  store(work, b, at);
}

function wordsToBytes(words: Uint32Array, from = 0, to = words.length): Buffer {
  const out = Buffer.alloc((to - from) * 4);
  for (let i = from; i < to; i++) out.writeUInt32LE(words[i]!, (i - from) * 4);
  return out;
}

function bytesToWords(bytes: Buffer): Uint32Array {
  const out = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readUInt32LE(i * 4);
  return out;
}

/** SMix over all p lanes; `password` is the 32-byte value the final PBKDF2 uses, updated in RW mode. */
function smix(
  b: Uint32Array,
  params: YescryptParams,
  v: Uint32Array,
  work: Work,
  password: { value: Buffer },
): void {
  const { N, p, t, flags } = params;
  const r = work.r;
  const words = 32 * r;
  const rw = (flags & flagRw) !== 0;
  let chunk = Math.floor(N / p);
  let loopsAll = chunk;
  if (rw) {
    if (t <= 1) {
      if (t) loopsAll *= 2;
      loopsAll = Math.floor((loopsAll + 2) / 3);
    } else {
      loopsAll *= t - 1;
    }
  } else if (t) {
    if (t === 1) loopsAll += Math.floor((loopsAll + 1) / 2);
    loopsAll *= t;
  }
  let loopsRw = rw ? Math.floor(loopsAll / p) : 0;
  chunk -= chunk % 2;
  loopsAll += loopsAll % 2;
  loopsRw += loopsRw % 2;

  const states: (PwxformState | undefined)[] = [];
  for (let i = 0, vChunk = 0; i < p; i++, vChunk += chunk) {
    const np = i < p - 1 ? chunk : N - vChunk;
    let state: PwxformState | undefined;
    if (rw) {
      // The S-boxes come from scrypt's SMix1 (Salsa20/8, r = 1) over this lane's block.
      const sbox = new Uint32Array(sboxWords);
      smix1(b, i * words, sboxWork, sboxWords / 32, false, sbox, 0, undefined);
      state = { sbox, s2: 0, s1: 1024, s0: 2048, w: 0 };
      if (i === 0) {
        const key = wordsToBytes(b, i * words + words - 16, i * words + words);
        password.value = createHmac('sha256', key).update(password.value).digest();
      }
    }
    states.push(state);
    smix1(b, i * words, work, np, rw, v, vChunk * words, state);
    smix2(b, i * words, work, largestPowerOfTwoAtMost(np), loopsRw, rw, v, vChunk * words, state);
  }
  for (let i = 0; i < p; i++) {
    smix2(b, i * words, work, N, loopsAll - loopsRw, false, v, 0, states[i]);
  }
}

const sboxWork: Work = newWork(1);

function newWork(r: number): Work {
  return { r, x: new Uint32Array(32 * r), scratch: new Uint32Array(32 * r), lane: new Uint32Array(16) };
}

/** V is large (16 MiB at Debian's default) and guesses come in runs of one setting: keep one. */
let cachedV: Uint32Array | undefined;

function memoryFor(words: number): Uint32Array {
  if (cachedV?.length !== words) cachedV = new Uint32Array(words);
  return cachedV;
}

function kdfBody(passwordIn: Buffer, salt: Buffer, params: YescryptParams): Buffer {
  const { flags, N, r, p } = params;
  let password = passwordIn;
  if (flags !== 0) {
    const key = flags & flagPrehash ? 'yescrypt-prehash' : 'yescrypt';
    password = createHmac('sha256', key).update(password).digest();
  }
  const initial = pbkdf2Sync(password, salt, 1, 128 * r * p, 'sha256');
  const passwordRef = { value: flags !== 0 ? Buffer.from(initial.subarray(0, 32)) : password };
  const b = bytesToWords(initial);
  const v = memoryFor(32 * r * N);
  const work = newWork(r);
  if (flags & flagRw) {
    smix(b, params, v, work, passwordRef);
  } else {
    const single = { ...params, p: 1 };
    for (let i = 0; i < p; i++) {
      const lane = b.subarray(i * 32 * r, (i + 1) * 32 * r);
      smix(lane, single, v, work, passwordRef);
    }
  }
  let derived = pbkdf2Sync(passwordRef.value, wordsToBytes(b), 1, 32, 'sha256');
  if (flags !== 0 && !(flags & flagPrehash)) {
    // The SCRAM-style final steps: ClientKey, then StoredKey.
    const clientKey = createHmac('sha256', derived).update('Client Key').digest();
    derived = createHash('sha256').update(clientKey).digest();
  }
  return derived;
}

/** yescrypt's 32-byte key for `password`; large RW settings first pre-hash with N/64. */
export function yescryptKdf(password: Buffer, salt: Buffer, params: YescryptParams): Buffer {
  let input = password;
  const { flags, N, r, p } = params;
  if ((flags & modeMask) === flagRw && N / p >= 0x100 && (N / p) * r >= 0x20000) {
    input = kdfBody(password, salt, { ...params, flags: flags | flagPrehash, N: N / 64, t: 0 });
  }
  return kdfBody(input, salt, params);
}

/** True when `password` hashes to the parsed `$y$` setting. */
export function yescryptMatches(password: string, setting: YescryptSetting): boolean {
  const derived = yescryptKdf(Buffer.from(password, 'utf8'), setting.salt, setting.params);
  return encodeBytes(derived) === setting.hash;
}

/** The full `$y$...` string for `password` with the parameters and salt of `hash`. */
export function yescrypt(password: string, hash: string): string {
  const setting = parseYescryptSetting(hash);
  return `${setting.prefix}$${encodeBytes(yescryptKdf(Buffer.from(password, 'utf8'), setting.salt, setting.params))}`;
}
