import {
  ownerLostFinal,
  renderFinal,
  renderMarkdown,
  renderStreaming,
  withoutThinking,
  type RenderOptions,
} from '../../../../app/services/wecom/streamContent';
import { WECOM_CONTENT_MAX_BYTES, utf8Length } from '../../../../app/services/wecom/utf8';
import { DEFAULT_TEXTS } from '../../../../app/config/texts';

const OPTS: RenderOptions = {
  showThinking: true,
  placeholder: DEFAULT_TEXTS.THINKING,
  truncatedNotice: DEFAULT_TEXTS.TRUNCATED,
};
const HIDE: RenderOptions = { ...OPTS, showThinking: false };
const HUGE_CHINESE = '这是一个很长的回答。'.repeat(3500); // ≈ 100 KB
const HUGE_EMOJI = '😀🎉'.repeat(12_000); // 96 KB of 4-byte characters
const roundTrips = (text: string): boolean => Buffer.from(text, 'utf8').toString('utf8') === text;

function expectWithinLimit(text: string, max = WECOM_CONTENT_MAX_BYTES): void {
  expect(utf8Length(text)).toBeLessThanOrEqual(max);
  expect(roundTrips(text)).toBe(true);
  expect(text).not.toContain('\uFFFD');
}

describe('renderStreaming', () => {
  it('shows the placeholder before anything arrived', () => {
    expect(renderStreaming({ answer: '', thinking: '' }, OPTS)).toBe(DEFAULT_TEXTS.THINKING);
  });

  it('shows the placeholder when only hidden thinking arrived', () => {
    expect(renderStreaming({ answer: '', thinking: '先想一想' }, HIDE)).toBe(DEFAULT_TEXTS.THINKING);
  });

  it('renders the thinking as a <think> section before the answer', () => {
    expect(renderStreaming({ answer: '答案', thinking: '先想一想' }, OPTS)).toBe('<think>先想一想</think>\n答案');
    expect(renderStreaming({ answer: '', thinking: '先想一想' }, OPTS)).toBe('<think>先想一想</think>\n');
  });

  it('hides the thinking when showThinking is false', () => {
    expect(renderStreaming({ answer: '答案', thinking: '先想一想' }, HIDE)).toBe('答案');
  });

  it.each([
    ['Chinese', HUGE_CHINESE],
    ['emoji', HUGE_EMOJI],
  ])('keeps the head of a huge %s answer within 20480 bytes, marked as cut', (_label, answer) => {
    const text = renderStreaming({ answer, thinking: '' }, OPTS);
    expectWithinLimit(text);
    expect(text.endsWith('\n\n…')).toBe(true);
    expect(answer.startsWith(text.slice(0, -3))).toBe(true);
    expect(utf8Length(text)).toBeGreaterThan(WECOM_CONTENT_MAX_BYTES - 8);
  });

  it('keeps an answer of exactly the limit uncut', () => {
    const answer = 'a'.repeat(WECOM_CONTENT_MAX_BYTES);
    expect(renderStreaming({ answer, thinking: '' }, OPTS)).toBe(answer);
  });

  it('gives the answer priority: thinking only gets the bytes the answer leaves', () => {
    const answer = '答'.repeat(6000); // 18000 bytes
    const text = renderStreaming({ answer, thinking: '想'.repeat(5000) }, OPTS);
    expectWithinLimit(text);
    expect(text.endsWith(answer)).toBe(true);
    expect(text).toMatch(/^<think>想+…<\/think>\n答/u);
  });

  it('drops the thinking when the answer leaves too little room for it', () => {
    const answer = 'a'.repeat(WECOM_CONTENT_MAX_BYTES - 20);
    expect(renderStreaming({ answer, thinking: '思考'.repeat(100) }, OPTS)).toBe(answer);
  });

  it('cuts a huge thinking with … and keeps the short answer whole', () => {
    const text = renderStreaming({ answer: '结论', thinking: '想'.repeat(40_000) }, OPTS);
    expectWithinLimit(text);
    expect(text).toMatch(/^<think>想+…<\/think>\n结论$/u);
    expect(utf8Length(text)).toBeGreaterThan(WECOM_CONTENT_MAX_BYTES - 4);
  });

  it('honours a smaller maxBytes', () => {
    const text = renderStreaming({ answer: 'x'.repeat(500), thinking: '' }, { ...OPTS, maxBytes: 100 });
    expect(text).toBe(`${'x'.repeat(95)}\n\n…`);
  });
});

describe('renderFinal', () => {
  it('is the answer alone when it fits and nothing went wrong', () => {
    expect(renderFinal({ answer: '完整的回答', thinking: '' }, undefined, OPTS)).toBe('完整的回答');
    expect(renderFinal({ answer: '完整的回答', thinking: '' }, '', OPTS)).toBe('完整的回答');
  });

  it('keeps the thinking section unless it is hidden', () => {
    expect(renderFinal({ answer: '答案', thinking: '推理' }, undefined, OPTS)).toBe('<think>推理</think>\n答案');
    expect(renderFinal({ answer: '答案', thinking: '推理' }, undefined, HIDE)).toBe('答案');
  });

  it('appends a notice after a blank line', () => {
    expect(renderFinal({ answer: '部分回答', thinking: '' }, DEFAULT_TEXTS.INTERRUPTED, OPTS)).toBe(
      `部分回答\n\n${DEFAULT_TEXTS.INTERRUPTED}`,
    );
  });

  it('shows the notice alone when there is no answer', () => {
    expect(renderFinal({ answer: '', thinking: '' }, DEFAULT_TEXTS.TIMEOUT, OPTS)).toBe(DEFAULT_TEXTS.TIMEOUT);
  });

  it.each([
    ['Chinese', HUGE_CHINESE],
    ['emoji', HUGE_EMOJI],
  ])('keeps the head of a huge %s answer and ends with the truncation notice', (_label, answer) => {
    const text = renderFinal({ answer, thinking: '想'.repeat(1000) }, undefined, OPTS);
    expectWithinLimit(text);
    const suffix = `\n\n${DEFAULT_TEXTS.TRUNCATED}`;
    expect(text.endsWith(suffix)).toBe(true);
    expect(answer.startsWith(text.slice(0, -suffix.length))).toBe(true);
    expect(utf8Length(text)).toBeGreaterThan(WECOM_CONTENT_MAX_BYTES - 8);
  });

  it('always ends with the notice, after the truncation notice, even for a huge answer', () => {
    const text = renderFinal({ answer: HUGE_CHINESE, thinking: '' }, DEFAULT_TEXTS.ANSWER_FAILED, OPTS);
    expectWithinLimit(text);
    expect(text.endsWith(`\n\n${DEFAULT_TEXTS.TRUNCATED}\n\n${DEFAULT_TEXTS.ANSWER_FAILED}`)).toBe(true);
    expect(text.startsWith(HUGE_CHINESE.slice(0, 100))).toBe(true);
  });

  it('cuts an answer that fits alone but not together with the notice', () => {
    const answer = 'a'.repeat(200);
    const text = renderFinal({ answer, thinking: '' }, 'ERR', { ...OPTS, maxBytes: 200 });
    expect(utf8Length(text)).toBeLessThanOrEqual(200);
    expect(text).toMatch(new RegExp(`^a+\\n\\n${DEFAULT_TEXTS.TRUNCATED.replace(/[()]/g, '\\$&')}\\n\\nERR$`, 'u'));
  });

  it('keeps a huge thinking (cut with …) before a notice when there is no answer', () => {
    const text = renderFinal({ answer: '', thinking: '想'.repeat(40_000) }, DEFAULT_TEXTS.EMPTY_ANSWER, OPTS);
    expectWithinLimit(text);
    expect(text).toMatch(/^<think>想+…<\/think>\n/u);
    expect(text.endsWith(DEFAULT_TEXTS.EMPTY_ANSWER)).toBe(true);
  });
});

describe('renderMarkdown (response_url)', () => {
  it('is the plain answer plus the notice, never a thinking section', () => {
    expect(renderMarkdown('**结论**', undefined, DEFAULT_TEXTS.TRUNCATED)).toBe('**结论**');
    expect(renderMarkdown('**结论**', '注意', DEFAULT_TEXTS.TRUNCATED)).toBe('**结论**\n\n注意');
  });

  it('fits a huge answer into the limit, head first, ending with the truncation notice and the notice', () => {
    const text = renderMarkdown(HUGE_EMOJI, '注意', DEFAULT_TEXTS.TRUNCATED);
    expectWithinLimit(text);
    expect(text.startsWith('😀🎉😀🎉')).toBe(true);
    expect(text.endsWith(`${DEFAULT_TEXTS.TRUNCATED}\n\n注意`)).toBe(true);
  });

  it('honours a smaller maxBytes', () => {
    const text = renderMarkdown('中'.repeat(100), undefined, '[cut]', 50);
    expect(text).toBe(`${'中'.repeat(14)}\n\n[cut]`); // 42 + 7 bytes ≤ 50
  });
});

describe('withoutThinking (an answer pushed as markdown, §12)', () => {
  it('removes the thinking section renderFinal puts first, and nothing else', () => {
    const opts: RenderOptions = { showThinking: true, placeholder: '…', truncatedNotice: DEFAULT_TEXTS.TRUNCATED };
    const rendered = renderFinal(
      { answer: '答案里提到 <think> 这个词', thinking: '先想一想，'.repeat(20) },
      '注意',
      opts,
    );
    expect(rendered.startsWith('<think>')).toBe(true);
    expect(withoutThinking(rendered)).toBe('答案里提到 <think> 这个词\n\n注意');
    expect(withoutThinking('只有答案')).toBe('只有答案');
  });
});

describe('ownerLostFinal', () => {
  const notice = '（处理这条消息的服务中断了，请重新发送。）';
  it('keeps what was shown, without the thinking or the placeholder, and always fits the notice', () => {
    expect(ownerLostFinal('正在思考中...', '正在思考中...', notice, '（略）')).toBe(notice);
    expect(ownerLostFinal('<think>想</think>\n答到一半', '正在思考中...', notice, '（略）')).toBe(
      `答到一半\n\n${notice}`,
    );
    const long = ownerLostFinal('长'.repeat(8000), '正在思考中...', notice, '（略）');
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(20480);
    expect(long.endsWith(`（略）\n\n${notice}`)).toBe(true);
  });
});
