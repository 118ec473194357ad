import { boundaryOf, multipartFile } from '../../../app/hil/routes/multipartFile';

const CT = 'multipart/form-data; boundary=b0und';

function form(parts: Array<{ disposition: string; bytes: Buffer | string }>, boundary = 'b0und'): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${part.disposition}\r\nContent-Type: x/y\r\n\r\n`));
    chunks.push(Buffer.isBuffer(part.bytes) ? part.bytes : Buffer.from(part.bytes));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

describe('multipartFile', () => {
  it('finds the named part after others, its bytes exact (CRLF and dashes inside kept)', () => {
    const bytes = Buffer.from([0x89, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff, 0x0d, 0x0a]);
    const body = form([
      { disposition: 'form-data; name="note"', bytes: 'hello' },
      { disposition: 'form-data; name="file"; filename="a \\"b\\".png"', bytes },
    ]);
    const found = multipartFile(body, CT, 'file');
    expect(found).toEqual({ ok: true, bytes, fileName: 'a "b".png' });
  });

  it('reads a quoted boundary and unquoted parameters', () => {
    const body = form([{ disposition: 'form-data; name=file; filename=x.gif', bytes: 'GIF89a' }], 'a;b c');
    const found = multipartFile(body, 'multipart/form-data; boundary="a;b c"', 'file');
    expect(found).toMatchObject({ ok: true, fileName: 'x.gif' });
    expect(found.ok && found.bytes.toString()).toBe('GIF89a');
  });

  it('says what is wrong: not multipart, no boundary, no such part, a body cut short', () => {
    const body = form([{ disposition: 'form-data; name="other"', bytes: 'x' }]);
    expect(multipartFile(body, 'application/json', 'file')).toMatchObject({ ok: false });
    expect(multipartFile(body, 'multipart/form-data', 'file')).toMatchObject({ ok: false });
    expect(multipartFile(body, CT, 'file')).toEqual({ ok: false, error: 'no "file" part in the form' });
    const cut = form([{ disposition: 'form-data; name="file"', bytes: 'abc' }]).subarray(0, 60);
    expect(multipartFile(cut, CT, 'file')).toMatchObject({ ok: false });
    expect(boundaryOf('Multipart/Form-Data; charset=utf-8; boundary=zz')).toBe('zz');
  });
});
