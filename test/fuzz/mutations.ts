/**
 * Structure-aware inputs: a valid input, taken from a test vector or built by a test, changed by a
 * few mutations, so a parser gets past its first checks and meets the damage deep inside. The
 * mutations are the ones that break parsers: flipped bytes, truncation, a duplicated stretch (a
 * field or a record twice), a line repeated many times, a boundary number where a length or a
 * count was (as text and as a 32-bit word), long runs, deep nesting and control characters.
 */
import fc from 'fast-check';

type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly mask: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly from: number; readonly length: number; readonly to: number }
  | { readonly kind: 'delete'; readonly from: number; readonly length: number }
  | { readonly kind: 'repeat-line'; readonly at: number; readonly times: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'word'; readonly at: number; readonly value: number; readonly littleEndian: boolean };

/** Text that parsers trip on: numbers at the edges, separators, escapes, control characters. */
const hostileTexts = [
  '0',
  '-1',
  '4294967295',
  '4294967296',
  '18446744073709551616',
  '99999999999999999999999999999999',
  '1e309',
  'NaN',
  'null',
  '""',
  '{}',
  '[]',
  '\u0000',
  '\r\n',
  '\n\n',
  ':',
  '=',
  '"',
  "'",
  '\\',
  '#',
  ' ',
  '\t',
  '@',
  '/',
  '../',
  '%',
  '\uFFFD',
  '\uD800',
  'constructor',
  '__proto__',
];

/** 32-bit values that lengths, counts and offsets must survive. */
const boundaryWords = [
  0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0,
];

function hugeText(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...hostileTexts),
    fc
      .tuple(
        fc.constantFrom('[', '{"a":', '(', '- ', '  ', 'A', '9', '\\', '<a>', '"'),
        fc.integer({ min: 100, max: 50_000 }),
      )
      .map(([unit, times]) => unit.repeat(times)),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('flip'), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate'), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('duplicate'),
      from: fc.nat(),
      length: fc.integer({ min: 1, max: 512 }),
      to: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('delete'),
      from: fc.nat(),
      length: fc.integer({ min: 1, max: 64 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('repeat-line'),
      at: fc.nat(),
      times: fc.integer({ min: 2, max: 2_000 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert'), at: fc.nat(), text: hugeText() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('word'),
      at: fc.nat(),
      value: fc.constantFrom(...boundaryWords),
      littleEndian: fc.boolean(),
    }),
  },
);

/** Mutated inputs stay under this size: repeated repeats must not grow an input without end. */
const maxInputBytes = 1024 * 1024;

function lineBounds(bytes: Buffer, at: number): [number, number] {
  const start = bytes.lastIndexOf(0x0a, at) + 1;
  const newline = bytes.indexOf(0x0a, at);
  return [start, newline === -1 ? bytes.length : newline + 1];
}

function apply(bytes: Buffer, step: Mutation): Buffer {
  const length = bytes.length;
  if (length === 0) return step.kind === 'insert' ? Buffer.from(step.text, 'utf8') : bytes;
  switch (step.kind) {
    case 'flip': {
      const copy = Buffer.from(bytes);
      const at = step.at % length;
      copy[at] = (copy[at] ?? 0) ^ step.mask;
      return copy;
    }
    case 'truncate':
      return bytes.subarray(0, step.at % length);
    case 'duplicate': {
      if (length + step.length > maxInputBytes) return bytes;
      const from = step.from % length;
      const piece = bytes.subarray(from, from + step.length);
      const to = step.to % (length + 1);
      return Buffer.concat([bytes.subarray(0, to), piece, bytes.subarray(to)]);
    }
    case 'delete': {
      const from = step.from % length;
      return Buffer.concat([bytes.subarray(0, from), bytes.subarray(from + step.length)]);
    }
    case 'repeat-line': {
      const [start, end] = lineBounds(bytes, step.at % length);
      const line = bytes.subarray(start, end);
      const times = Math.min(step.times, Math.floor((maxInputBytes - length) / Math.max(1, line.length)));
      if (times < 2) return bytes;
      const repeated = Buffer.concat(Array.from({ length: times }, () => line));
      return Buffer.concat([bytes.subarray(0, start), repeated, bytes.subarray(end)]);
    }
    case 'insert': {
      if (length + step.text.length * 3 > maxInputBytes) return bytes;
      const at = step.at % (length + 1);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(step.text, 'utf8'), bytes.subarray(at)]);
    }
    case 'word': {
      if (length < 4) return bytes;
      const copy = Buffer.from(bytes);
      const at = step.at % (length - 3);
      if (step.littleEndian) copy.writeUInt32LE(step.value, at);
      else copy.writeUInt32BE(step.value, at);
      return copy;
    }
  }
}

/** A valid input from `seeds` with one to six mutations. */
export function mutatedBytes(seeds: readonly Buffer[]): fc.Arbitrary<Buffer> {
  if (seeds.length === 0) throw new Error('mutatedBytes needs at least one seed');
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 6 }))
    .map(([seed, steps]) => steps.reduce(apply, seed));
}

/** `mutatedBytes` read as UTF-8 text. */
export function mutatedText(seeds: readonly string[]): fc.Arbitrary<string> {
  return mutatedBytes(seeds.map((seed) => Buffer.from(seed, 'utf8'))).map((bytes) => bytes.toString('utf8'));
}

/** Bytes with no structure at all: random, or random with a run of one byte. */
export const arbitraryBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 4_096 }).map((array) => Buffer.from(array)),
  fc
    .tuple(
      fc.uint8Array({ maxLength: 64 }),
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 1, max: 100_000 }),
    )
    .map(([head, byte, times]) => Buffer.concat([Buffer.from(head), Buffer.alloc(times, byte)])),
);

/** Text with no structure at all: every code point, lone surrogates included. */
export const arbitraryText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 2_000 }),
  fc.string({
    unit: fc.constantFrom('\n', ':', ' ', '=', '"', '{', '}', '[', ']', ',', '#', 'a', '1', '\t', '\\'),
    maxLength: 2_000,
  }),
);

/** Unstructured text or a mutated seed, half and half. */
export function textInputs(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(arbitraryText, mutatedText(seeds));
}

/** Unstructured bytes or a mutated seed, half and half. */
export function byteInputs(seeds: readonly Buffer[]): fc.Arbitrary<Buffer> {
  return fc.oneof(arbitraryBytes, mutatedBytes(seeds));
}
