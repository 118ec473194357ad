import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  findMarkdownImages,
  replaceRanges,
  ReplaceRangeError,
  tidyAfterRemoval,
} from '../../../../app/services/media/answerImages';

/** Every found image must point at exactly its own markdown in the source. */
function imagesOf(markdown: string): Array<{ url: string; alt: string; markdown: string }> {
  return findMarkdownImages(markdown).map((image) => {
    expect(image.end).toBeGreaterThan(image.start);
    return { url: image.url, alt: image.alt, markdown: markdown.slice(image.start, image.end) };
  });
}

/** The answer text of F4 (dify-api.md §10), assembled from its `message` events. */
function f4Answer(): string {
  const sse = readFileSync(join(__dirname, '../../../fixtures/dify/F4.sse'), 'utf8');
  return sse
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice(6)) as { event: string; answer?: string })
    .filter((event) => event.event === 'message')
    .map((event) => event.answer ?? '')
    .join('');
}

describe('findMarkdownImages (dify-api.md §4.7)', () => {
  it("finds the image in Dify's F4 chatflow answer (relative signed URL)", () => {
    const answer = f4Answer();
    const [image, ...rest] = imagesOf(answer);
    expect(rest).toEqual([]);
    expect(image?.alt).toBe('9be4bcfc-49b6-4a08-b2e6-cc3ababced20.png');
    expect(image?.url).toMatch(
      /^\/files\/tools\/9be4bcfc-49b6-4a08-b2e6-cc3ababced20\.png\?timestamp=1768003507&nonce=[0-9a-f]{32}&sign=/,
    );
    expect(image?.markdown).toBe(answer.slice(answer.indexOf('![')));
  });

  it('finds relative and absolute URLs in document order', () => {
    const text = '先看 ![a](/files/a.png) 再看 ![b](https://cdn.example.com/b.jpg "title")。';
    expect(imagesOf(text)).toEqual([
      { url: '/files/a.png', alt: 'a', markdown: '![a](/files/a.png)' },
      { url: 'https://cdn.example.com/b.jpg', alt: 'b', markdown: '![b](https://cdn.example.com/b.jpg "title")' },
    ]);
  });

  it('returns nothing for text without images', () => {
    expect(findMarkdownImages('')).toEqual([]);
    expect(findMarkdownImages('just [a link](http://x) and ! [not] (an image)')).toEqual([]);
  });

  it('ignores images inside fenced code, indented code and code spans', () => {
    const text = [
      '```md',
      '![fenced](/f.png)',
      '```',
      '',
      '    ![indented](/i.png)',
      '',
      'Use `![span](/s.png)` like this.',
    ].join('\n');
    expect(findMarkdownImages(text)).toEqual([]);
  });

  it('ignores HTML blocks', () => {
    expect(findMarkdownImages('<div>\n![html](/h.png)\n</div>\n')).toEqual([]);
  });

  it('locates the real image after a code block containing the same markdown', () => {
    const text = '```\n![x](/same.png)\n```\n\nand `![x](/same.png)` then ![x](/same.png)\n';
    const [image, ...rest] = findMarkdownImages(text);
    expect(rest).toEqual([]);
    expect(image?.start).toBe(text.lastIndexOf('![x](/same.png)'));
    expect(text.slice(image?.start, image?.end)).toBe('![x](/same.png)');
  });

  it('skips a code block inside a blockquote or list item whose raw is not a slice of the source', () => {
    const text = '> ```\n> ![x](/same.png)\n> ```\n> ![x](/same.png)\n\n- ```\n  ![y](/y.png)\n  ```\n  ![y](/y.png)\n';
    const found = findMarkdownImages(text);
    expect(found.map((image) => image.start)).toEqual([text.indexOf('![x]', 20), text.lastIndexOf('![y]')]);
    for (const image of found) expect(text.slice(image.start, image.end)).toMatch(/^!\[[xy]\]\(\/(same|y)\.png\)$/);
  });

  it('gives every duplicate of the same image its own range', () => {
    const text = '![d](/d.png)\n\n![d](/d.png) and ![d](/d.png)';
    const found = findMarkdownImages(text);
    expect(found.map((image) => image.start)).toEqual([0, 14, 31]);
    for (const image of found) expect(text.slice(image.start, image.end)).toBe('![d](/d.png)');
  });

  it('finds images nested in lists, tables, blockquotes and headings', () => {
    const text = [
      '# Title ![h](/h.png)',
      '',
      '- item ![l1](/l1.png)',
      '  continued ![l2](/l2.png)',
      '  - nested ![l3](/l3.png)',
      '',
      '| a | b |',
      '|---|---|',
      '| ![t](/t.png) | x \\| y |',
      '',
      '> quoted ![q1](/q1.png) and',
      '> more ![q2](/q2.png)',
      '> > deeper ![q3](/q3.png)',
    ].join('\n');
    expect(imagesOf(text).map((image) => [image.alt, image.markdown])).toEqual([
      ['h', '![h](/h.png)'],
      ['l1', '![l1](/l1.png)'],
      ['l2', '![l2](/l2.png)'],
      ['l3', '![l3](/l3.png)'],
      ['t', '![t](/t.png)'],
      ['q1', '![q1](/q1.png)'],
      ['q2', '![q2](/q2.png)'],
      ['q3', '![q3](/q3.png)'],
    ]);
  });

  it('finds the image inside a link, not the link', () => {
    expect(imagesOf('[![badge](/badge.svg)](https://example.com)')).toEqual([
      { url: '/badge.svg', alt: 'badge', markdown: '![badge](/badge.svg)' },
    ]);
  });

  it('resolves reference-style images', () => {
    const text = 'See ![chart][c1] and ![Chart 2][].\n\n[c1]: /files/c1.png\n[chart 2]: https://x.test/c2.png "t"\n';
    expect(imagesOf(text)).toEqual([
      { url: '/files/c1.png', alt: 'chart', markdown: '![chart][c1]' },
      { url: 'https://x.test/c2.png', alt: 'Chart 2', markdown: '![Chart 2][]' },
    ]);
  });

  it('handles brackets in the alt text', () => {
    expect(imagesOf('![a [b] c](/x.png) and ![esc \\] aped](/y.png)')).toEqual([
      { url: '/x.png', alt: 'a [b] c', markdown: '![a [b] c](/x.png)' },
      { url: '/y.png', alt: 'esc ] aped', markdown: '![esc \\] aped](/y.png)' },
    ]);
  });

  it('handles parentheses and angle brackets in the URL', () => {
    expect(imagesOf('![p](/img/a_(1).png) ![s](<file with space.png>)')).toEqual([
      { url: '/img/a_(1).png', alt: 'p', markdown: '![p](/img/a_(1).png)' },
      { url: 'file with space.png', alt: 's', markdown: '![s](<file with space.png>)' },
    ]);
  });

  it('keeps offsets valid for CRLF text', () => {
    const text = 'line one\r\n\r\n```\r\n![c](/c.png)\r\n```\r\n\r\n> q ![q](/q.png)\r\n> ![r](/r.png)\r\n';
    expect(imagesOf(text).map((image) => image.markdown)).toEqual(['![q](/q.png)', '![r](/r.png)']);
  });
});

describe('replaceRanges and tidyAfterRemoval', () => {
  it('removes the F4 image and leaves clean text', () => {
    const answer = f4Answer();
    const removed = replaceRanges(
      answer,
      findMarkdownImages(answer).map((image) => ({ ...image, text: '' })),
    );
    expect(tidyAfterRemoval(removed)).toBe('这是为你生成的海报：');
  });

  it('applies replacements given in any order', () => {
    const text = 'a ![1](/1.png) b ![2](/2.png) c';
    const [first, second] = findMarkdownImages(text);
    if (first === undefined || second === undefined) throw new Error('expected two images');
    const result = replaceRanges(text, [
      { start: second.start, end: second.end, text: '[图2]' },
      { start: first.start, end: first.end, text: '' },
    ]);
    expect(result).toBe('a  b [图2] c');
  });

  it('accepts no replacements and adjacent ranges', () => {
    expect(replaceRanges('abc', [])).toBe('abc');
    expect(
      replaceRanges('abcd', [
        { start: 2, end: 4, text: 'Y' },
        { start: 0, end: 2, text: 'X' },
      ]),
    ).toBe('XY');
  });

  it('rejects overlapping or out-of-bounds ranges', () => {
    expect(() =>
      replaceRanges('abcdef', [
        { start: 0, end: 3, text: '' },
        { start: 2, end: 4, text: '' },
      ]),
    ).toThrow(ReplaceRangeError);
    expect(() => replaceRanges('abc', [{ start: 1, end: 9, text: '' }])).toThrow(ReplaceRangeError);
    expect(() => replaceRanges('abc', [{ start: 2, end: 1, text: '' }])).toThrow(ReplaceRangeError);
  });

  it('tidies what a removal leaves behind', () => {
    expect(tidyAfterRemoval('前文  \n\n\n\n \n后文\t\n\n\n')).toBe('前文\n\n后文');
    expect(tidyAfterRemoval('a\n\nb')).toBe('a\n\nb');
    expect(tidyAfterRemoval('')).toBe('');
  });

  it('removes block and inline images and keeps the rest', () => {
    const text = '结果如下：\n\n![chart](/c.png)\n\n\n说明文字 ![inline](/i.png) 结束\n';
    const removed = replaceRanges(
      text,
      findMarkdownImages(text).map((image) => ({ ...image, text: '' })),
    );
    expect(tidyAfterRemoval(removed)).toBe('结果如下：\n\n说明文字  结束');
  });
});
