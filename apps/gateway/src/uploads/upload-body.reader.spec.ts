import { type IncomingMessage } from 'node:http';
import { openUploadedFile } from './upload-body.reader';

function request(body: Buffer, headers: Record<string, string>, size = 5): IncomingMessage {
  async function* gen(): AsyncGenerator<Buffer> {
    for (let i = 0; i < body.length; i += size) yield body.subarray(i, i + size);
  }
  return Object.assign(gen(), { headers, url: '/api/v1/upload/csv' }) as unknown as IncomingMessage;
}

async function read(file: { bytes: AsyncIterable<Buffer> }): Promise<string> {
  const parts: Buffer[] = [];
  for await (const b of file.bytes) parts.push(b);
  return Buffer.concat(parts).toString();
}

const multipart = (boundary: string, fileText: string): Buffer => Buffer.from([
  `--${boundary}`, 'Content-Disposition: form-data; name="note"', '', 'hello', `--${boundary}`,
  'Content-Disposition: form-data; name="file"; filename="flows.csv"', 'Content-Type: text/csv', '', fileText, `--${boundary}--`, '',
].join('\r\n'));

describe('openUploadedFile', () => {
  it('streams the file part of a multipart body, byte for byte, at any read size', async () => {
    const text = 'a,b\r\n1,2\r\n--not-the-boundary\r\n3,4';
    for (const size of [1, 2, 5, 1000]) {
      const file = openUploadedFile(request(multipart('XyZ', text), { 'content-type': 'multipart/form-data; boundary=XyZ' }, size), 1e6);
      expect(await read(file)).toBe(text);
      expect(file.fileName).toBe('flows.csv');
    }
  });

  it('refuses a wrong content type (415), an oversize body (413), a body without a file part or closing boundary', async () => {
    expect(() => openUploadedFile(request(Buffer.from('{}'), { 'content-type': 'application/json' }), 10)).toThrow(expect.objectContaining({ code: 'HTTP.UNSUPPORTED_MEDIA_TYPE', status: 415 }));
    expect(() => openUploadedFile(request(Buffer.from('x'), { 'content-type': 'text/csv', 'content-length': '100' }), 10)).toThrow(expect.objectContaining({ status: 413 }));
    await expect(read(openUploadedFile(request(Buffer.alloc(20, 'a'), { 'content-type': 'text/csv' }), 10))).rejects.toMatchObject({ code: 'HTTP.PAYLOAD_TOO_LARGE' });
    const noFile = Buffer.from('--B\r\nContent-Disposition: form-data; name="x"\r\n\r\nv\r\n--B--\r\n');
    await expect(read(openUploadedFile(request(noFile, { 'content-type': 'multipart/form-data; boundary=B' }), 1e6))).rejects.toMatchObject({ code: 'UPLOAD.NO_FILE' });
    const cut = multipart('B', 'a,b').subarray(0, 80);
    await expect(read(openUploadedFile(request(cut, { 'content-type': 'multipart/form-data; boundary=B' }), 1e6))).rejects.toMatchObject({ code: 'UPLOAD.MALFORMED_MULTIPART' });
  });
});
