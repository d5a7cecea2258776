import { unreadable, type DatabaseRead } from './database-read.ts';

/** Four ASCII characters as the little-endian 32-bit number rpm's ndb writes. */
function magicOf(text: string): number {
  return Buffer.from(text, 'latin1').readUInt32LE(0);
}

const databaseMagic = magicOf('RpmP');
const slotMagic = magicOf('Slot');
const blobHeadMagic = magicOf('BlbS');
const blobTailMagic = magicOf('BlbE');
const pageBytes = 4096;
const slotBytes = 16;
const blockBytes = 16;
const headerBytes = 32;
const blobHeadBytes = 16;
const blobTailBytes = 12;

interface Slot {
  readonly slotNumber: number;
  readonly packageIndex: number;
  readonly blockOffset: number;
  readonly blockCount: number;
}

/**
 * Reads the header blobs of an rpm "ndb" package database (`Packages.db`, SUSE since SLE 15),
 * whose format is defined by rpm's lib/backend/ndb/rpmpkg.c
 * (https://github.com/rpm-software-management/rpm/blob/master/lib/backend/ndb/rpmpkg.c):
 * a 32-byte header (magic `RpmP`, version 0, generation, number of slot pages), slot pages of
 * 4096 bytes holding 16-byte slots (`Slot`, package index, block offset, block count; offset 0 is
 * a free slot), and blobs in 16-byte blocks: `BlbS`, package index, timestamp, length, the header
 * blob, padding, then a tail of checksum, length and `BlbE`. All numbers are little-endian.
 * Blobs come in slot order.
 */
export function readNdb(content: Uint8Array): DatabaseRead {
  if (content.length < headerBytes) return unreadable('file is too short for an ndb header');
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  const u32 = (offset: number): number => view.getUint32(offset, true);
  if (u32(0) !== databaseMagic) return unreadable('not an rpm ndb database');
  if (u32(4) !== 0) return unreadable(`unsupported ndb version ${u32(4)}`);
  const slotPages = u32(12);
  if (slotPages === 0 || slotPages * pageBytes > content.length) {
    return unreadable(`ndb header claims ${slotPages} slot pages in a file of ${content.length} bytes`);
  }

  const problems: string[] = [];
  const fileBlocks = Math.floor(content.length / blockBytes);
  const firstDataBlock = (slotPages * pageBytes) / blockBytes;
  const slots: Slot[] = [];
  for (let offset = headerBytes; offset < slotPages * pageBytes; offset += slotBytes) {
    const slotNumber = offset / slotBytes;
    if (u32(offset) !== slotMagic) return unreadable(`slot ${slotNumber} has no slot magic`);
    const blockOffset = u32(offset + 8);
    if (blockOffset === 0) continue;
    const slot = { slotNumber, packageIndex: u32(offset + 4), blockOffset, blockCount: u32(offset + 12) };
    if (
      slot.packageIndex === 0 ||
      slot.blockCount === 0 ||
      blockOffset < firstDataBlock ||
      blockOffset + slot.blockCount > fileBlocks
    ) {
      problems.push(`slot ${slotNumber} points outside the data area`);
      continue;
    }
    slots.push(slot);
  }

  // Blobs never share blocks; refusing overlaps keeps the work to one pass over the file.
  const overlapping = new Set<Slot>();
  let previousEnd = 0;
  for (const slot of [...slots].sort((a, b) => a.blockOffset - b.blockOffset)) {
    if (slot.blockOffset < previousEnd) {
      overlapping.add(slot);
      problems.push(`slot ${slot.slotNumber} overlaps another package's blocks`);
      continue;
    }
    previousEnd = slot.blockOffset + slot.blockCount;
  }

  const blobs: Uint8Array[] = [];
  for (const slot of slots) {
    if (overlapping.has(slot)) continue;
    const start = slot.blockOffset * blockBytes;
    const end = (slot.blockOffset + slot.blockCount) * blockBytes;
    const length = u32(start + 12);
    const expectedBlocks = Math.ceil((blobHeadBytes + length + blobTailBytes) / blockBytes);
    if (
      u32(start) !== blobHeadMagic ||
      u32(start + 4) !== slot.packageIndex ||
      slot.blockCount !== expectedBlocks
    ) {
      problems.push(`package ${slot.packageIndex}: bad blob header`);
      continue;
    }
    if (u32(end - 4) !== blobTailMagic || u32(end - 8) !== length) {
      problems.push(`package ${slot.packageIndex}: bad blob tail`);
      continue;
    }
    blobs.push(content.subarray(start + blobHeadBytes, start + blobHeadBytes + length));
  }
  return { ok: true, blobs, problems };
}
