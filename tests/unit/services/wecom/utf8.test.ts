import { WECOM_CONTENT_MAX_BYTES, truncateUtf8, utf8Length } from '../../../../app/services/wecom/utf8';

/** True when `text` survives a UTF-8 round trip, i.e. it holds no broken character. */
const roundTrips = (text: string): boolean => Buffer.from(text, 'utf8').toString('utf8') === text;

/** Checks the four properties of a cut at `budget`: valid, within budget, a prefix, and maximal. */
function expectGoodCut(text: string, budget: number): void {
  const cut = truncateUtf8(text, budget);
  expect(roundTrips(cut)).toBe(true);
  expect(utf8Length(cut)).toBeLessThanOrEqual(Math.max(budget, 0));
  expect(text.startsWith(cut)).toBe(true);
  if (cut !== text) {
    const nextChar = String.fromCodePoint(text.codePointAt(cut.length) as number);
    expect(utf8Length(cut) + utf8Length(nextChar)).toBeGreaterThan(budget);
  }
}

describe('utf8Length', () => {
  it('counts bytes, not characters', () => {
    expect([utf8Length(''), utf8Length('a'), utf8Length('é'), utf8Length('中'), utf8Length('😀')]).toEqual([
      0, 1, 2, 3, 4,
    ]);
  });

  it('pins the WeCom limit of §6.2', () => {
    expect(WECOM_CONTENT_MAX_BYTES).toBe(20480);
  });
});

describe('truncateUtf8', () => {
  it('returns the text itself when it fits', () => {
    expect(truncateUtf8('hello', 5)).toBe('hello');
    expect(truncateUtf8('中文', 6)).toBe('中文');
    expect(truncateUtf8('', 10)).toBe('');
  });

  it('returns an empty string for a budget of zero or less', () => {
    expect(truncateUtf8('abc', 0)).toBe('');
    expect(truncateUtf8('abc', -5)).toBe('');
  });

  it('cuts ASCII at the exact byte', () => {
    expect(truncateUtf8('abcdef', 4)).toBe('abcd');
  });

  it.each([
    [
      '2-byte',
      'éééé',
      [
        [1, ''],
        [2, 'é'],
        [3, 'é'],
        [4, 'éé'],
        [7, 'ééé'],
      ],
    ],
    [
      '3-byte Chinese',
      '中文字符',
      [
        [2, ''],
        [3, '中'],
        [5, '中'],
        [6, '中文'],
        [11, '中文字'],
      ],
    ],
    [
      '4-byte emoji',
      '😀👍🎉',
      [
        [3, ''],
        [4, '😀'],
        [7, '😀'],
        [8, '😀👍'],
        [11, '😀👍'],
      ],
    ],
  ] as const)('keeps or drops a %s character whole', (_label, text, cases) => {
    for (const [budget, expected] of cases) expect(truncateUtf8(text, budget)).toBe(expected);
  });

  it('never splits a surrogate pair or a ZWJ sequence into broken UTF-8', () => {
    const family = '👨‍👩‍👧';
    for (let budget = 0; budget <= utf8Length(family); budget += 1) expectGoodCut(family, budget);
  });

  it('cuts a mixed string well at every byte budget from 0 to its length', () => {
    const text = 'Hi é中😀!\n你好，world 👍🏽 ü€𝄞末';
    const length = utf8Length(text);
    for (let budget = 0; budget <= length + 1; budget += 1) expectGoodCut(text, budget);
  });

  it('cuts a long string (past the short-string shortcut) well at every byte budget', () => {
    const text = 'aé中😀'.repeat(40);
    for (let budget = 0; budget <= utf8Length(text); budget += 1) expectGoodCut(text, budget);
  });

  it('cuts 100 KB of Chinese to exactly the largest multiple of 3 within the limit', () => {
    const text = '汉'.repeat(35_000);
    const cut = truncateUtf8(text, WECOM_CONTENT_MAX_BYTES);
    expect(utf8Length(cut)).toBe(20478);
    expect(cut).toBe('汉'.repeat(6826));
  });
});
