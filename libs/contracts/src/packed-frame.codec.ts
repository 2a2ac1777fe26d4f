import { endianness } from 'node:os';
import { ContractError } from './contract.errors';

/**
 * The framing every packed result message shares with the flow batch:
 *   uint32 BE  header length L
 *   L bytes    UTF-8 JSON header
 *   0-3 bytes  zero padding, so the float block starts 4-byte aligned
 *   float32 little-endian values
 */
const LITTLE_ENDIAN = endianness() === 'LE';
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodePackedFrame(header: unknown, blocks: readonly Float32Array[]): Uint8Array {
  const json = encoder.encode(JSON.stringify(header));
  const offset = align4(4 + json.length);
  const floats = blocks.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(offset + floats * 4);
  new DataView(out.buffer).setUint32(0, json.length, false);
  out.set(json, 4);
  let at = offset;
  for (const block of blocks) {
    writeFloats(out, at, block);
    at += block.length * 4;
  }
  return out;
}

export interface PackedFrame {
  header: unknown;
  /** Every float after the header; a view on the message when it is aligned. */
  values: Float32Array;
}

export function decodePackedFrame(bytes: Uint8Array, what: string): PackedFrame {
  if (bytes.length < 4) malformed(what, `message of ${bytes.length} bytes has no header length`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
  if (length > bytes.length - 4) malformed(what, `header length ${length} exceeds the ${bytes.length}-byte message`);
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(4, 4 + length)));
  } catch (cause) {
    malformed(what, 'header is not UTF-8 JSON', cause);
  }
  const offset = align4(4 + length);
  if ((bytes.length - offset) % 4 !== 0 || bytes.length < offset) malformed(what, 'float block is not a whole number of float32 values');
  return { header, values: readFloats(bytes, offset, (bytes.length - offset) / 4) };
}

export function malformed(what: string, reason: string, cause?: unknown): never {
  throw new ContractError({ code: 'CONTRACTS.MALFORMED_MESSAGE', message: `Malformed ${what} message: ${reason}`, cause });
}

function writeFloats(out: Uint8Array, offset: number, values: Float32Array): void {
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + offset);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
}

function readFloats(bytes: Uint8Array, offset: number, count: number): Float32Array {
  const start = bytes.byteOffset + offset;
  if (LITTLE_ENDIAN && start % 4 === 0) return new Float32Array(bytes.buffer, start, count);
  // Copy into a fresh buffer: a Node Buffer's slice() is a view on its (shared, unaligned) pool.
  if (LITTLE_ENDIAN) return new Float32Array(new Uint8Array(bytes.subarray(offset, offset + count * 4)).buffer);
  const view = new DataView(bytes.buffer, start, count * 4);
  return Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
