import { CARD_LIMITS, cardProblems } from '../../../../app/services/wecom/templateCardRules';
import {
  cardProblems as reExported,
  type MultipleInteractionCard,
  type NewsNoticeCard,
  type TemplateCard,
  type TextNoticeCard,
  type VoteInteractionCard,
} from '../../../../app/services/wecom/templateCards';

const news: NewsNoticeCard = {
  card_type: 'news_notice',
  main_title: { title: '本周报告', desc: '知识库' },
  card_action: { type: 1, url: 'https://example.com/r' },
  card_image: { url: 'https://example.com/i.png', aspect_ratio: 1.3 },
  vertical_content_list: [{ title: '摘要', desc: '…' }],
  horizontal_content_list: [{ keyname: '作者', value: '张三' }],
  jump_list: [{ type: 3, title: '追问', question: '细节？' }],
};

const option = (i: number) => ({ id: `o${i}`, text: `选项${i}` });
const options = (n: number) => Array.from({ length: n }, (_, i) => option(i));

const vote: VoteInteractionCard = {
  card_type: 'vote_interaction',
  main_title: { title: '满意吗？' },
  checkbox: { question_key: 'q1', option_list: [{ id: 'yes', text: '满意', is_checked: true }, option(2)], mode: 0 },
  submit_button: { text: '提交', key: 'submit_vote' },
  task_id: 'vote_1',
};

const selector = (i: number) => ({ question_key: `s${i}`, title: '选择', selected_id: 'o1', option_list: options(3) });
const multiple: MultipleInteractionCard = {
  card_type: 'multiple_interaction',
  main_title: { title: '偏好' },
  select_list: [selector(1), selector(2)],
  submit_button: { text: '提交', key: 'submit_multi' },
  task_id: 'multi_1',
};

/** The problems of `card`, which the test expects to be exactly one, matching `pattern`. */
function onlyProblem(card: TemplateCard, pattern: RegExp): void {
  const problems = cardProblems(card);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(pattern);
}

describe('templateCardRules', () => {
  it('is re-exported from templateCards and states the §7 limits', () => {
    expect(reExported).toBe(cardProblems);
    expect(CARD_LIMITS).toMatchObject({
      voteOptions: 20,
      selectors: 3,
      selectOptions: 10,
      optionIdBytes: 128,
      horizontal: 6,
    });
  });
});

describe('cardProblems — news_notice (§7)', () => {
  it('accepts a valid card with card_image or with image_text_area', () => {
    expect(cardProblems(news)).toEqual([]);
    const { card_image: _image, ...rest } = news;
    expect(
      cardProblems({
        ...rest,
        image_text_area: { type: 1, url: 'https://x', title: 't', image_url: 'https://x/i.png' },
      }),
    ).toEqual([]);
    expect(cardProblems({ ...news, card_image: { url: 'u', aspect_ratio: 2.25 } })).toEqual([]);
  });

  it('needs a title, a card_action and an image', () => {
    onlyProblem({ ...news, main_title: { desc: 'd' } }, /news_notice needs main_title.title/);
    onlyProblem({ ...news, card_action: { type: 2 } }, /type 2 needs an appid/);
    const { card_image: _image, ...rest } = news;
    onlyProblem(rest as NewsNoticeCard, /needs card_image or image_text_area/);
    onlyProblem({ ...rest, image_text_area: { image_url: '' } }, /image_text_area.image_url is empty/);
  });

  it('keeps aspect_ratio within 1.3–2.25', () => {
    onlyProblem({ ...news, card_image: { url: 'u', aspect_ratio: 1.2 } }, /aspect_ratio must be 1.3 to 2.25, got 1.2/);
    onlyProblem({ ...news, card_image: { url: 'u', aspect_ratio: 2.3 } }, /got 2.3/);
    onlyProblem({ ...news, card_image: { url: 'u', aspect_ratio: Number.NaN } }, /aspect_ratio/);
  });

  it('limits vertical, horizontal and jump lists', () => {
    const v = { title: 'v' };
    expect(cardProblems({ ...news, vertical_content_list: [v, v, v, v] })).toEqual([]);
    onlyProblem(
      { ...news, vertical_content_list: [v, v, v, v, v] },
      /vertical_content_list allows at most 4 entries, got 5/,
    );
    const h = { keyname: 'k' };
    onlyProblem(
      { ...news, horizontal_content_list: Array(7).fill(h) },
      /horizontal_content_list allows at most 6 entries, got 7/,
    );
    const j = { type: 0 as const, title: 'j' };
    onlyProblem({ ...news, jump_list: [j, j, j, j] }, /jump_list allows at most 3 entries, got 4/);
  });
});

describe('cardProblems — text_notice horizontal_content_list (§7)', () => {
  const notice: TextNoticeCard = { card_type: 'text_notice', sub_title_text: 's', card_action: { type: 1, url: 'u' } };
  it('accepts up to 6 entries and reports a 7th', () => {
    const h = { type: 1 as const, keyname: 'k', value: 'v', url: 'u' };
    expect(cardProblems({ ...notice, horizontal_content_list: Array(6).fill(h) })).toEqual([]);
    onlyProblem({ ...notice, horizontal_content_list: Array(7).fill(h) }, /at most 6 entries, got 7/);
    onlyProblem({ ...notice, horizontal_content_list: [{ keyname: '' }] }, /keyname is empty/);
  });
});

describe('cardProblems — vote_interaction (§7)', () => {
  it('accepts a valid card, up to 20 options', () => {
    expect(cardProblems(vote)).toEqual([]);
    expect(cardProblems({ ...vote, checkbox: { ...vote.checkbox, option_list: options(20), mode: 1 } })).toEqual([]);
  });

  it('needs 1..20 options', () => {
    onlyProblem(
      { ...vote, checkbox: { ...vote.checkbox, option_list: options(21) } },
      /checkbox.option_list needs 1 to 20 entries, got 21/,
    );
    onlyProblem({ ...vote, checkbox: { ...vote.checkbox, option_list: [] } }, /got 0/);
  });

  it('needs submit_button and task_id', () => {
    const { submit_button: _submit, ...noSubmit } = vote;
    onlyProblem(noSubmit as VoteInteractionCard, /submit_button is required/);
    const { task_id: _task, ...noTask } = vote;
    onlyProblem(noTask as VoteInteractionCard, /task_id is required/);
    onlyProblem({ ...vote, task_id: 'bad id' }, /task_id may only contain/);
    onlyProblem({ ...vote, checkbox: undefined } as unknown as VoteInteractionCard, /checkbox is required/);
  });

  it('checks option ids, keys and mode', () => {
    expect(
      cardProblems({ ...vote, checkbox: { ...vote.checkbox, option_list: [{ id: 'i'.repeat(128), text: 't' }] } }),
    ).toEqual([]);
    onlyProblem(
      { ...vote, checkbox: { ...vote.checkbox, option_list: [{ id: 'i'.repeat(129), text: 't' }] } },
      /option_list\[0\].id is longer than 128 bytes/,
    );
    onlyProblem({ ...vote, checkbox: { ...vote.checkbox, option_list: [option(1), option(1)] } }, /"o1" is repeated/);
    onlyProblem(
      { ...vote, checkbox: { ...vote.checkbox, question_key: 'k'.repeat(1025) } },
      /question_key is longer than 1024 bytes/,
    );
    onlyProblem(
      { ...vote, submit_button: { text: '提交', key: '中'.repeat(342) } },
      /submit_button.key is longer than 1024 bytes/,
    );
    onlyProblem({ ...vote, checkbox: { ...vote.checkbox, mode: 2 as 0 } }, /mode must be 0 or 1/);
    onlyProblem({ ...vote, main_title: {} }, /main_title needs a title or a desc/);
  });
});

describe('cardProblems — multiple_interaction (§7)', () => {
  it('accepts a valid card, up to 3 selectors of 10 options', () => {
    expect(cardProblems(multiple)).toEqual([]);
    const full = [1, 2, 3].map((i) => ({ ...selector(i), option_list: options(10) }));
    expect(cardProblems({ ...multiple, select_list: full })).toEqual([]);
  });

  it('needs 1..3 selectors of 1..10 options', () => {
    onlyProblem({ ...multiple, select_list: [1, 2, 3, 4].map(selector) }, /select_list needs 1 to 3 entries, got 4/);
    onlyProblem({ ...multiple, select_list: [] }, /select_list needs 1 to 3 entries, got 0/);
    onlyProblem(
      { ...multiple, select_list: [{ ...selector(1), option_list: options(11) }] },
      /select_list\[0\].option_list needs 1 to 10 entries, got 11/,
    );
  });

  it('needs submit_button and task_id', () => {
    const { submit_button: _submit, ...noSubmit } = multiple;
    onlyProblem(noSubmit as MultipleInteractionCard, /submit_button is required/);
    const { task_id: _task, ...noTask } = multiple;
    onlyProblem(noTask as MultipleInteractionCard, /task_id is required/);
  });

  it('checks selector keys, option ids and selected_id', () => {
    onlyProblem(
      { ...multiple, select_list: [{ ...selector(1), question_key: '' }] },
      /select_list\[0\].question_key is empty/,
    );
    onlyProblem(
      { ...multiple, select_list: [{ ...selector(1), option_list: [option(1), { id: '长'.repeat(43), text: 't' }] }] },
      /select_list\[0\].option_list\[1\].id is longer than 128 bytes/,
    );
    onlyProblem(
      { ...multiple, select_list: [{ ...selector(1), selected_id: 'nope' }] },
      /selected_id "nope" is not one of its options/,
    );
    onlyProblem(
      { ...multiple, select_list: [{ ...selector(1), title: 't'.repeat(37) }] },
      /select_list\[0\].title is 37 characters/,
    );
  });
});
