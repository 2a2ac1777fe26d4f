// UTF-8 JSON of an object whose bulk is one array of small items (a threat batch: ~400 kB for
// 500 explained threats). One JSON.stringify of the whole object gives a string V8 has to
// flatten into a fresh large-object allocation before it can be encoded, and TextEncoder then
// fills another fresh buffer: measured on the 2-core box, that cost ~2.5x the stringify itself
// (fresh large allocations fault their pages in). Here each item is stringified on its own, the
// pieces are written into one reused scratch buffer, and the result is copied out once into an
// uninitialised buffer. Same JSON (the array's key comes last).

const PIECE = 16 * 1024;
let scratch = Buffer.allocUnsafeSlow(256 * 1024);

/** `{...head, [key]: items}` as UTF-8 JSON bytes. */
export function encodeJsonWithArray(head: object, key: string, items: readonly unknown[]): Uint8Array {
  const open = JSON.stringify(head);
  let n = 0;
  const put = (s: string): void => {
    if (scratch.length - n < s.length * 3) {
      const grown = Buffer.allocUnsafeSlow(Math.max(scratch.length * 2, n + s.length * 3));
      scratch.copy(grown, 0, 0, n);
      scratch = grown;
    }
    n += scratch.write(s, n, 'utf8');
  };
  put(`${open.length > 2 ? `${open.slice(0, -1)},` : '{'}${JSON.stringify(key)}:[`);
  // Items gathered into pieces of ~16 kB: fewer writes, and no string grows into a large object.
  let piece = '';
  for (let i = 0; i < items.length; i++) {
    piece += (i === 0 ? '' : ',') + (JSON.stringify(items[i]) ?? 'null');
    if (piece.length >= PIECE) {
      put(piece);
      piece = '';
    }
  }
  put(`${piece}]}`);
  const out = Buffer.allocUnsafe(n);
  scratch.copy(out, 0, 0, n);
  return new Uint8Array(out.buffer, out.byteOffset, n);
}
