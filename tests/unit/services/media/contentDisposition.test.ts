import { fileNameFromContentDisposition, withExtension } from '../../../../app/services/media/contentDisposition';

describe('fileNameFromContentDisposition (wecom-aibot-protocol.md §5.7)', () => {
  it.each([
    ['RFC 5987 UTF-8 Chinese name', "attachment; filename*=UTF-8''%E4%B8%AD%E6%96%87.pdf", '中文.pdf'],
    ['RFC 5987 with a language tag', "attachment; filename*=utf-8'zh-CN'%E6%8A%A5%E5%91%8A.docx", '报告.docx'],
    ['RFC 5987 ISO-8859-1', "attachment; filename*=iso-8859-1''caf%E9.txt", 'café.txt'],
    ['a quoted name', 'attachment; filename="report 2024.xlsx"', 'report 2024.xlsx'],
    ['a quoted name with escapes', 'attachment; filename="say \\"hi\\".txt"', 'say "hi".txt'],
    ['a quoted name with an escaped ordinary character', 'attachment; filename="\\a\\b.txt"', 'ab.txt'],
    ['a quoted name with a semicolon', 'attachment; filename="a;b.txt"; size=3', 'a;b.txt'],
    ['an unquoted token', 'attachment; filename=plain.csv', 'plain.csv'],
    ['case-insensitive parameter names', 'ATTACHMENT; FileName="Upper.PDF"', 'Upper.PDF'],
    ['spaces around "="', 'attachment; filename = "spaced.txt"', 'spaced.txt'],
    ['inline disposition', 'inline; filename="x.png"', 'x.png'],
    ['parameter without a disposition type', 'filename="bare.txt"', 'bare.txt'],
    ['a valueless parameter before the name', 'attachment; foo; filename=after.txt', 'after.txt'],
  ])('%s', (_label, header, expected) => {
    expect(fileNameFromContentDisposition(header)).toBe(expected);
  });

  it('prefers filename* over filename, whatever the order', () => {
    const name = 'attachment; filename*=UTF-8\'\'%E4%B8%AD.pdf; filename="fallback.pdf"';
    expect(fileNameFromContentDisposition(name)).toBe('中.pdf');
    const reversed = 'attachment; filename="fallback.pdf"; filename*=UTF-8\'\'%E4%B8%AD.pdf';
    expect(fileNameFromContentDisposition(reversed)).toBe('中.pdf');
  });

  it('falls back to filename when filename* is malformed', () => {
    expect(fileNameFromContentDisposition('attachment; filename*=nonsense; filename="ok.txt"')).toBe('ok.txt');
  });

  it('repairs raw UTF-8 bytes that Node read as Latin-1', () => {
    const mojibake = Buffer.from('attachment; filename="季度报告.pdf"', 'utf8').toString('latin1');
    expect(fileNameFromContentDisposition(mojibake)).toBe('季度报告.pdf');
  });

  it('decodes a percent-encoded non-ASCII plain name but keeps a literal percent', () => {
    expect(fileNameFromContentDisposition('attachment; filename="%E4%B8%AD.pdf"')).toBe('中.pdf');
    expect(fileNameFromContentDisposition('attachment; filename="100%25.txt"')).toBe('100%25.txt');
  });

  describe('sanitising for Dify uploads (dify-api.md §6.1)', () => {
    it.each([
      ['path traversal', 'attachment; filename="../../etc/passwd"', 'passwd'],
      ['an encoded path', "attachment; filename*=UTF-8''..%2F..%2Fsecret.txt", 'secret.txt'],
      ['backslashes (quoted, escaped)', 'attachment; filename="C:\\\\Users\\\\me\\\\doc.txt"', 'doc.txt'],
      ['backslashes (token)', 'attachment; filename=C:\\Users\\doc.txt', 'doc.txt'],
      ['control characters', "attachment; filename*=UTF-8''a%00b%0Ac%1Fd%7F.txt", 'abcd.txt'],
      ['surrounding blanks', 'attachment; filename="   padded.txt  "', 'padded.txt'],
    ])('%s', (_label, header, expected) => {
      expect(fileNameFromContentDisposition(header)).toBe(expected);
    });

    it('caps an overlong name at 200 characters, keeping the extension', () => {
      const name = fileNameFromContentDisposition(`attachment; filename="${'长'.repeat(300)}.pdf"`);
      expect(name).toBe(`${'长'.repeat(196)}.pdf`);
      expect(Array.from(name ?? '')).toHaveLength(200);
    });

    it('does not split a surrogate pair when capping', () => {
      const name = fileNameFromContentDisposition(
        `attachment; filename*=UTF-8''${encodeURIComponent('😀'.repeat(250))}`,
      );
      expect(Array.from(name ?? '')).toHaveLength(200);
      expect(name).toBe('😀'.repeat(200));
    });

    it.each([
      ['a missing header', undefined],
      ['an empty header', ''],
      ['attachment only', 'attachment'],
      ['inline only', 'inline'],
      ['an empty name', 'attachment; filename=""'],
      ['a name that is only a path', 'attachment; filename="../"'],
      ['a name that is only dots', 'attachment; filename=".."'],
      ['only control characters', "attachment; filename*=UTF-8''%01%02"],
    ])('gives undefined for %s', (_label, header) => {
      expect(fileNameFromContentDisposition(header)).toBeUndefined();
    });
  });
});

describe('withExtension', () => {
  it.each([
    [undefined, 'png', 'image', 'image.png'],
    ['', 'png', 'image', 'image.png'],
    ['   ', 'pdf', 'file', 'file.pdf'],
    ['report', 'pdf', 'file', 'report.pdf'],
    ['report.', 'pdf', 'file', 'report.pdf'],
    ['report.docx', 'pdf', 'file', 'report.docx'],
    ['.bashrc', 'txt', 'file', '.bashrc.txt'],
    ['archive', '.zip', 'file', 'archive.zip'],
    [undefined, '', 'file', 'file'],
  ])('(%p, %p, %p) → %p', (name, ext, base, expected) => {
    expect(withExtension(name, ext, base)).toBe(expected);
  });
});
