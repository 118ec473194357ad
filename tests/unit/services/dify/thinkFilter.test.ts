import { MAX_HOLDBACK, ThinkFilter } from '../../../../app/services/dify/thinkFilter';

interface Split {
  answer: string;
  thinking: string;
}

function run(deltas: string[]): Split {
  const f = new ThinkFilter();
  for (const d of deltas) f.push(d);
  f.end();
  return { answer: f.answer, thinking: f.thinking };
}

/** The F5 deltas (dify-api.md §10 F5). */
const F5_DELTAS = ['<think>\n用户', '在打招呼，', '我应该友好地回应。', '\n</think>', '\n\n你好！', '很高兴见到你。'];
/** The F5b deltas (legacy 0.15 wrapper, §4.6 item 3). */
const LEGACY_OPEN =
  '<details style="color:gray;background-color: #f8f8f8;padding: 8px;border-radius: 4px;" open> <summary> Thinking... </summary>\n';
const F5B_DELTAS = [LEGACY_OPEN, '用户在打招呼。', '\n</details>', '你好！'];

/** Inputs with their expected split; each is also checked at every split position below. */
const CASES: Array<[string, string, Split]> = [
  [
    'F5 inline think',
    F5_DELTAS.join(''),
    { thinking: '用户在打招呼，我应该友好地回应。', answer: '你好！很高兴见到你。' },
  ],
  ['F5b legacy details', F5B_DELTAS.join(''), { thinking: '用户在打招呼。', answer: '你好！' }],
  ['orphan </think>', '用户在打招呼。\n</think>\n\n你好！', { thinking: '用户在打招呼。', answer: '你好！' }],
  [
    'a non-thinking <details> is answer text',
    '见下：<details open>\n<summary>更多</summary>\n内容\n</details> 完',
    { thinking: '', answer: '见下：<details open>\n<summary>更多</summary>\n内容\n</details> 完' },
  ],
  [
    'details without summary is answer text',
    '<details><p>x</p></details>',
    { thinking: '', answer: '<details><p>x</p></details>' },
  ],
  ['<detailsX> is not a details tag', 'a<detailsX>b', { thinking: '', answer: 'a<detailsX>b' }],
  [
    'several think blocks (agent rounds)',
    '<think>\n查时间\n</think>\n\n我查一下。<think>得到结果</think>\n\n现在是九点。',
    { thinking: '查时间\n\n得到结果', answer: '我查一下。\n\n现在是九点。' },
  ],
  [
    'stray < and look-alike tags stay text',
    'a < b, <th>x</th> <thin <details',
    { thinking: '', answer: 'a < b, <th>x</th> <thin <details' },
  ],
  ['</think> after a real block is answer text', '<think>r</think>a</think>b', { thinking: 'r', answer: 'a</think>b' }],
  ['whitespace before <think> is dropped', '\n\n<think>r</think>\n\n答', { thinking: 'r', answer: '答' }],
  [
    'thinking keeps inner blank lines, trims the outer ones',
    '<think>\n\n第一步\n\n第二步\n\n</think>答',
    { thinking: '第一步\n\n第二步', answer: '答' },
  ],
  ['no tags at all', 'plain answer', { thinking: '', answer: 'plain answer' }],
];

describe('ThinkFilter', () => {
  it('splits the F5 deltas', () => {
    expect(run(F5_DELTAS)).toEqual({ thinking: '用户在打招呼，我应该友好地回应。', answer: '你好！很高兴见到你。' });
  });

  it('splits the F5b legacy deltas', () => {
    expect(run(F5B_DELTAS)).toEqual({ thinking: '用户在打招呼。', answer: '你好！' });
  });

  it.each(CASES)('%s', (_name, text, expected) => {
    expect(run([text])).toEqual(expected);
  });

  it.each(CASES)('%s: same result at every split position and char by char', (_name, text, expected) => {
    const failures: number[] = [];
    for (let i = 0; i <= text.length; i += 1) {
      const got = run([text.slice(0, i), text.slice(i)]);
      if (got.answer !== expected.answer || got.thinking !== expected.thinking) failures.push(i);
      for (let j = i + 1; j <= Math.min(i + 4, text.length); j += 1) {
        const three = run([text.slice(0, i), text.slice(i, j), text.slice(j)]);
        if (three.answer !== expected.answer || three.thinking !== expected.thinking) failures.push(i * 1000 + j);
      }
    }
    expect(failures).toEqual([]);
    expect(run([...text])).toEqual(expected);
  });

  it('moves text already shown as answer into thinking on an orphan </think>', () => {
    const f = new ThinkFilter();
    f.push('这是推理');
    expect(f.answer).toBe('这是推理');
    f.push('\n</think>\n\n答案');
    expect(f).toMatchObject({ answer: '答案', thinking: '这是推理' });
  });

  it('holds back a possible tag start and releases it at end()', () => {
    const f = new ThinkFilter();
    f.push('Hello <thi');
    expect(f.answer).toBe('Hello ');
    f.end();
    expect(f.answer).toBe('Hello <thi');
  });

  it('holds back a lone < at the end, then releases it', () => {
    const f = new ThinkFilter();
    f.push('1 <');
    expect(f.answer).toBe('1 ');
    f.push(' 2');
    expect(f.answer).toBe('1 < 2');
    f.push('<');
    f.end();
    expect(f.answer).toBe('1 < 2<');
  });

  it('holds back a partial closing tag inside a block', () => {
    const f = new ThinkFilter();
    f.push('<think>abc</det');
    expect(f).toMatchObject({ thinking: 'abc</det', inThinking: true });
    f.push('ails></thi');
    expect(f.thinking).toBe('abc</details>');
    f.push('nk>ok');
    expect(f).toMatchObject({ thinking: 'abc</details>', answer: 'ok', inThinking: false });
  });

  it('holds a <details opening until </summary> decides it', () => {
    const f = new ThinkFilter();
    f.push('<details style="x" open> <summary> Think');
    expect(f).toMatchObject({ answer: '', thinking: '', inThinking: false });
    f.push('ing... </summary>\n推理');
    expect(f).toMatchObject({ answer: '', thinking: '推理', inThinking: true });
  });

  it('releases a <details opening as soon as the summary is clearly something else', () => {
    const f = new ThinkFilter();
    f.push('<details open><summary>Mo');
    expect(f.answer).toBe('<details open><summary>Mo');
  });

  it(`releases an undecided <details opening after ${MAX_HOLDBACK} characters`, () => {
    const f = new ThinkFilter();
    const opening = `<details data-x="${'a'.repeat(MAX_HOLDBACK)}`;
    f.push(opening);
    expect(f.answer).toBe(opening);
    const g = new ThinkFilter();
    g.push('<details ');
    g.push('b'.repeat(100));
    expect(g.answer).toBe('');
    g.end();
    expect(g.answer).toBe(`<details ${'b'.repeat(100)}`);
  });

  it('keeps an unclosed block as thinking at end()', () => {
    expect(run(['<think>还在想', '</th'])).toEqual({ thinking: '还在想</th', answer: '' });
  });

  it('reports inThinking while inside a block', () => {
    const f = new ThinkFilter();
    expect(f.inThinking).toBe(false);
    f.push('<think>x');
    expect(f.inThinking).toBe(true);
    f.push('</think>y');
    expect(f.inThinking).toBe(false);
  });

  it('reset() forgets everything, including the orphan rule', () => {
    const f = new ThinkFilter();
    f.push('<think>a</think>b<thi');
    f.reset();
    expect(f).toMatchObject({ answer: '', thinking: '', inThinking: false });
    f.push('r</think>c');
    expect(f).toMatchObject({ answer: 'c', thinking: 'r' });
  });

  it('is linear: 200k one-char deltas finish quickly', () => {
    const unit = '<think>思考 a<b </think>\n\n回答 x < y。';
    const f = new ThinkFilter();
    const started = Date.now();
    for (let i = 0; i < 200_000; i += 1) f.push(unit.charAt(i % unit.length));
    f.end();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(f.answer.length).toBeGreaterThan(50_000);
  });
});
