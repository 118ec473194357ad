import sharp from 'sharp';
import { detectFileType } from '../../../../app/services/media/fileType';

/** A buffer that starts with `head` (bytes or latin-1 text) and is padded to 64 bytes. */
function bytesOf(...head: Array<number[] | string>): Buffer {
  const parts = head.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part)));
  const joined = Buffer.concat(parts);
  return Buffer.concat([joined, Buffer.alloc(Math.max(0, 64 - joined.length))]);
}

function bmpHeader(): Buffer {
  const header = Buffer.alloc(54);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + 4, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  return Buffer.concat([header, Buffer.alloc(4)]);
}

const tiny = { create: { width: 4, height: 4, channels: 3 as const, background: '#f00' } };

describe('detectFileType: images made by sharp (wecom-aibot-protocol.md §10)', () => {
  it.each([
    ['png', () => sharp(tiny).png().toBuffer(), 'image/png', 'png'],
    ['jpeg', () => sharp(tiny).jpeg().toBuffer(), 'image/jpeg', 'jpg'],
    ['webp', () => sharp(tiny).webp().toBuffer(), 'image/webp', 'webp'],
    ['gif', () => sharp(tiny).gif().toBuffer(), 'image/gif', 'gif'],
  ] as const)('recognises a real %s', async (_label, make, mime, ext) => {
    expect(detectFileType(await make())).toEqual({ mime, ext, difyType: 'image' });
  });
});

describe('detectFileType: magic bytes', () => {
  it.each([
    ['JPEG', bytesOf([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg', 'jpg', 'image'],
    ['PNG', bytesOf([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'image/png', 'png', 'image'],
    ['GIF87a', bytesOf('GIF87a'), 'image/gif', 'gif', 'image'],
    ['GIF89a', bytesOf('GIF89a'), 'image/gif', 'gif', 'image'],
    ['WEBP', bytesOf('RIFF', [0x10, 0, 0, 0], 'WEBPVP8 '), 'image/webp', 'webp', 'image'],
    ['BMP', bmpHeader(), 'image/bmp', 'bmp', 'custom'],
    ['PDF', bytesOf('%PDF-1.7\n'), 'application/pdf', 'pdf', 'document'],
    ['MP4 (isom)', bytesOf([0, 0, 0, 0x20], 'ftypisom'), 'video/mp4', 'mp4', 'video'],
    ['MP4 (mp42)', bytesOf([0, 0, 0, 0x18], 'ftypmp42'), 'video/mp4', 'mp4', 'video'],
    ['QuickTime', bytesOf([0, 0, 0, 0x14], 'ftypqt  '), 'video/quicktime', 'mov', 'video'],
    ['M4A', bytesOf([0, 0, 0, 0x20], 'ftypM4A '), 'audio/mp4', 'm4a', 'audio'],
    ['AMR', bytesOf('#!AMR\n'), 'audio/amr', 'amr', 'audio'],
    ['MP3 with ID3', bytesOf('ID3', [4, 0]), 'audio/mpeg', 'mp3', 'audio'],
    ['MP3 frame sync', bytesOf([0xff, 0xfb, 0x90, 0x64]), 'audio/mpeg', 'mp3', 'audio'],
    ['WAV', bytesOf('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '), 'audio/wav', 'wav', 'audio'],
    ['OGG', bytesOf('OggS', [0]), 'audio/ogg', 'ogg', 'custom'],
  ] as const)('%s', (_label, bytes, mime, ext, difyType) => {
    expect(detectFileType(bytes)).toEqual({ mime, ext, difyType });
  });

  it('does not take ADTS AAC (layer bits 00) for MP3', () => {
    expect(detectFileType(bytesOf([0xff, 0xf1, 0x50, 0x80])).ext).toBe('bin');
  });

  it('does not take text starting with "BM" for a bitmap', () => {
    expect(detectFileType(Buffer.from('BMW quarterly report, nothing else here'), 'bmw.txt').ext).toBe('txt');
  });
});

describe('detectFileType: containers told apart by the file name', () => {
  const zip = bytesOf('PK', [3, 4, 20, 0]);
  const ole2 = bytesOf([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

  it.each([
    ['报告.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
    ['sheet.XLSX', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
    ['deck.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', 'pptx'],
    ['book.epub', 'application/epub+zip', 'epub'],
  ])('ZIP named %s', (name, mime, ext) => {
    expect(detectFileType(zip, name)).toEqual({ mime, ext, difyType: 'document' });
  });

  it('ZIP with another or no name is a plain zip (custom)', () => {
    expect(detectFileType(zip, 'archive.zip')).toEqual({ mime: 'application/zip', ext: 'zip', difyType: 'custom' });
    expect(detectFileType(zip)).toEqual({ mime: 'application/zip', ext: 'zip', difyType: 'custom' });
    expect(detectFileType(zip, 'notes.txt').ext).toBe('zip');
  });

  it.each([
    ['old.doc', 'application/msword', 'doc', 'custom'],
    ['old.xls', 'application/vnd.ms-excel', 'xls', 'document'],
    ['old.ppt', 'application/vnd.ms-powerpoint', 'ppt', 'document'],
    ['mail.msg', 'application/vnd.ms-outlook', 'msg', 'document'],
  ] as const)('OLE2 named %s', (name, mime, ext, difyType) => {
    expect(detectFileType(ole2, name)).toEqual({ mime, ext, difyType });
  });

  it('OLE2 without a known name is custom', () => {
    expect(detectFileType(ole2, 'x.bin')).toEqual({ mime: 'application/x-cfb', ext: 'cfb', difyType: 'custom' });
  });
});

describe('detectFileType: text-like documents by extension', () => {
  it.each([
    ['a.txt', 'text/plain', 'txt', 'document'],
    ['README.md', 'text/markdown', 'md', 'document'],
    ['notes.markdown', 'text/markdown', 'markdown', 'document'],
    ['data.csv', 'text/csv', 'csv', 'document'],
    ['page.html', 'text/html', 'html', 'document'],
    ['page.HTM', 'text/html', 'html', 'document'],
    ['data.json', 'application/json', 'json', 'custom'],
    ['feed.xml', 'application/xml', 'xml', 'document'],
    ['mail.eml', 'message/rfc822', 'eml', 'document'],
    ['logo.svg', 'image/svg+xml', 'svg', 'image'],
  ] as const)('%s', (name, mime, ext, difyType) => {
    expect(detectFileType(Buffer.from('hello, 世界\n'), name)).toEqual({ mime, ext, difyType });
  });

  it('uses only the last path segment of the name', () => {
    expect(detectFileType(Buffer.from('x'), 'dir.md/file').ext).toBe('bin');
  });

  it('unknown content and name is octet-stream/custom', () => {
    expect(detectFileType(Buffer.from('hello'), 'thing.xyz')).toEqual({
      mime: 'application/octet-stream',
      ext: 'bin',
      difyType: 'custom',
    });
    expect(detectFileType(Buffer.from('hello')).ext).toBe('bin');
  });
});

describe('detectFileType: magic bytes win', () => {
  it('a PNG named photo.pdf is a PNG', async () => {
    const png = await sharp(tiny).png().toBuffer();
    expect(detectFileType(png, 'photo.pdf')).toEqual({ mime: 'image/png', ext: 'png', difyType: 'image' });
  });

  it('a PDF named notes.txt is a PDF', () => {
    expect(detectFileType(bytesOf('%PDF-1.4'), 'notes.txt').ext).toBe('pdf');
  });

  it('an empty buffer falls back to the name, or to bin', () => {
    expect(detectFileType(Buffer.alloc(0))).toEqual({
      mime: 'application/octet-stream',
      ext: 'bin',
      difyType: 'custom',
    });
    expect(detectFileType(Buffer.alloc(0), 'empty.txt').ext).toBe('txt');
  });

  it('a too-short prefix of a signature is not a match', () => {
    expect(detectFileType(Buffer.from([0xff, 0xd8])).ext).toBe('bin');
    expect(detectFileType(Buffer.from('RIFF')).ext).toBe('bin');
  });
});
