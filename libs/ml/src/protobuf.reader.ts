// Minimal protobuf wire-format reader: walks fields of one message.
import { OnnxFormatError } from './onnx.errors';

const utf8 = new TextDecoder();

export interface ProtoField {
  readonly field: number;
  readonly wire: number;
  /** Varint value (wire 0). */
  readonly int: number;
  /** Payload for wire 2 (bytes) and wire 5/1 (fixed, little endian). */
  readonly data: Uint8Array;
}

export function readVarint(buf: Uint8Array, pos: { p: number }): number {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos.p >= buf.length) throw new OnnxFormatError('truncated varint');
    const b = buf[pos.p++];
    result += (b & 0x7f) * mul;
    mul *= 128;
    if (b < 0x80) {
      // Ten-byte varints are negative int64s: fold back into the signed range.
      return i === 9 || result >= 2 ** 63 ? result - 2 ** 64 : result;
    }
  }
  throw new OnnxFormatError('varint too long');
}

export function* fields(buf: Uint8Array): Generator<ProtoField> {
  const pos = { p: 0 };
  while (pos.p < buf.length) {
    const key = readVarint(buf, pos);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      yield { field, wire, int: readVarint(buf, pos), data: buf.subarray(0, 0) };
    } else if (wire === 2 || wire === 5 || wire === 1) {
      const n = wire === 2 ? readVarint(buf, pos) : wire === 5 ? 4 : 8;
      if (pos.p + n > buf.length) throw new OnnxFormatError('truncated field', { field });
      yield { field, wire, int: 0, data: buf.subarray(pos.p, pos.p + n) };
      pos.p += n;
    } else {
      throw new OnnxFormatError('unsupported wire type', { field, wire });
    }
  }
}

export function decodeString(data: Uint8Array): string {
  return utf8.decode(data);
}

/** Appends the ints of a repeated field given packed (wire 2) or one by one (wire 0). */
export function pushInts(f: ProtoField, out: number[]): void {
  if (f.wire === 0) {
    out.push(f.int);
    return;
  }
  const pos = { p: 0 };
  while (pos.p < f.data.length) out.push(readVarint(f.data, pos));
}

/** Appends the floats of a repeated field given packed (wire 2) or one by one (wire 5). */
export function pushFloats(f: ProtoField, out: number[]): void {
  const view = new DataView(f.data.buffer, f.data.byteOffset, f.data.byteLength);
  for (let o = 0; o + 4 <= f.data.byteLength; o += 4) out.push(view.getFloat32(o, true));
}
