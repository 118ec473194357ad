import { hideImagesWhileStreaming } from '../../../../app/services/media/answerImages';

describe('hideImagesWhileStreaming (wecom-aibot-protocol.md §6.2)', () => {
  it.each([
    ['no image at all', '普通文本 ! [x] (y)', '普通文本 ! [x] (y)'],
    ['a complete image', '海报：![p](/files/tools/p.png?sign=abc) 好了', '海报： 好了'],
    ['two complete images', '![a](/a.png)![b](/b.png)', ''],
    ['the start of an image', '这是为你生成的海报：\n\n![ima', '这是为你生成的海报：\n\n'],
    ['only the opener', '看 ![', '看 '],
    ['a finished alt', '看 ![img]', '看 '],
    ['a URL being typed', '看 ![img](/files/to', '看 '],
    ['a URL with parentheses being typed', '看 ![img](/a_(1', '看 '],
    ['a nested-bracket alt being typed', '看 ![a [b', '看 '],
    ['a complete image then a partial one', '![a](/a.png) 和 ![b](/b', ' 和 '],
    ['a title being typed', '看 ![img](/a.png "ti', '看 '],
    ['an angle-bracket URL', '看 ![s](<a b.png>) 了', '看  了'],
    [
      'the F4 image with a query string',
      '海报：\n\n![9be4.png](/files/tools/9be4.png?timestamp=1&nonce=2&sign=Zm==)',
      '海报：\n\n',
    ],
  ])('%s', (_label, text, expected) => {
    expect(hideImagesWhileStreaming(text)).toBe(expected);
  });

  it('keeps a lone exclamation mark and bracketed text that is not an image', () => {
    expect(hideImagesWhileStreaming('太好了!')).toBe('太好了!');
    expect(hideImagesWhileStreaming('注意 ![警告] 这不是图片')).toBe('注意 ![警告] 这不是图片');
    expect(hideImagesWhileStreaming('![a\nb](/x.png)')).toBe('![a\nb](/x.png)');
  });

  it('returns the same string when there is nothing to hide', () => {
    const text = 'x'.repeat(10_000);
    expect(hideImagesWhileStreaming(text)).toBe(text);
  });

  it('stays fast on long snapshots with many unfinished openers', () => {
    const text = '![ '.repeat(20_000);
    const started = performance.now();
    hideImagesWhileStreaming(text);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
