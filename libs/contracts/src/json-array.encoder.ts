// UTF-8 JSON of an object whose bulk is one array of small items (a threat batch: ~400 kB for
// 500 explained threats). One JSON.stringify of the whole object gives a string V8 has to
// flatten into a fresh large-object allocation before it can be encoded, and TextEncoder then
// fills another fresh buffer: measured on the 2-core box, that cost ~2.5x the stringify itself
// (fresh large allocations fault their pages in). Here each item is stringified on its own, the
// pieces are written into one reused scratch buffer, and the result is copied out once into an
// uninitialised buffer. Same JSON (the array's key comes last).

const PIECE = 16 * 1024;
let scratch = Buffer.allocUnsafeSlow(256 * 1024);

/** A field added to each object item from JSON text its producer wrote itself (a threat's explanation). */
export interface RawItemField {
  readonly key: string;
  /** Per item: the field's value as JSON text, written as is (last in the item), or undefined for none. */
  readonly json: readonly (string | undefined)[];
}

/** `{...head, [key]: items}` as UTF-8 JSON bytes; with `raw`, item i also gets `raw.key: raw.json[i]` (items must then be objects). */
export function encodeJsonWithArray(head: object, key: string, items: readonly unknown[], raw?: RawItemField): Uint8Array {
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
  const rawKey = raw && `${JSON.stringify(raw.key)}:`;
  for (let i = 0; i < items.length; i++) {
    let item = JSON.stringify(items[i]) ?? 'null';
    const extra = raw?.json[i];
    if (extra !== undefined) {
      if (item.charCodeAt(item.length - 1) !== 125) throw new TypeError(`item ${i} is not an object: it cannot take the field ${raw?.key}`);
      const body = item.slice(0, -1);
      item = `${body}${body.length === 1 ? '' : ','}${rawKey as string}${extra}}`;
    }
    piece += (i === 0 ? '' : ',') + item;
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
