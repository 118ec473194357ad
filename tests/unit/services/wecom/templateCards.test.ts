import {
  CARD_TEXT_LIMITS,
  CardError,
  buttonCard,
  cardProblems,
  fitText,
  newTaskId,
  templateCardReplyJson,
  updateCardReplyJson,
  type ButtonInteractionCard,
  type TemplateCard,
  type TextNoticeCard,
} from '../../../../app/services/wecom/templateCards';

const validButtons: ButtonInteractionCard = {
  card_type: 'button_interaction',
  main_title: { title: '操作' },
  button_list: [{ text: '重新生成', style: 1, key: 'regen' }],
  task_id: 'task_8f3a2c1e',
};

const validNotice: TextNoticeCard = {
  card_type: 'text_notice',
  main_title: { title: '知识库' },
  card_action: { type: 1, url: 'https://example.com' },
  jump_list: [{ type: 3, title: '再问一次', question: '什么是 QPS？' }],
};

/** The problems of `card`, which the test expects to be exactly one, matching `pattern`. */
function onlyProblem(card: TemplateCard, pattern: RegExp): void {
  const problems = cardProblems(card);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(pattern);
}

const button = (i: number) => ({ text: `b${i}`, key: `k${i}` });

describe('cardProblems — button_interaction (§7)', () => {
  it('accepts a valid card, with and without optional parts', () => {
    expect(cardProblems(validButtons)).toEqual([]);
    const full = {
      ...validButtons,
      main_title: { desc: 'only desc' },
      sub_title_text: 's',
      feedback: { id: 'fb_1' },
      button_list: [1, 2, 3, 4, 5, 6].map(button),
      task_id: 'A-z_0@9',
    };
    expect(cardProblems(full)).toEqual([]);
  });

  it('needs a main_title title or desc', () => {
    onlyProblem({ ...validButtons, main_title: {} }, /main_title needs a title or a desc/);
    onlyProblem({ ...validButtons, main_title: { title: '', desc: '' } }, /main_title/);
  });

  it('needs 1..6 buttons', () => {
    onlyProblem({ ...validButtons, button_list: [] }, /1 to 6 buttons, got 0/);
    onlyProblem({ ...validButtons, button_list: [1, 2, 3, 4, 5, 6, 7].map(button) }, /got 7/);
  });

  it('checks button style, key size and blank fields', () => {
    onlyProblem({ ...validButtons, button_list: [{ text: 'a', key: 'k', style: 5 as 1 }] }, /style must be 1 to 4/);
    onlyProblem(
      { ...validButtons, button_list: [{ text: 'a', key: 'k'.repeat(1025) }] },
      /key is longer than 1024 bytes/,
    );
    expect(cardProblems({ ...validButtons, button_list: [{ text: 'a', key: '中'.repeat(341) }] })).toEqual([]);
    onlyProblem({ ...validButtons, button_list: [{ text: 'a', key: '中'.repeat(342) }] }, /1024 bytes/);
    onlyProblem({ ...validButtons, button_list: [{ text: 'a', key: '' }] }, /key is empty/);
    onlyProblem({ ...validButtons, button_list: [{ text: '', key: 'k' }] }, /text is empty/);
  });

  it('needs a well-formed task_id', () => {
    onlyProblem({ ...validButtons, task_id: '' }, /task_id is required/);
    onlyProblem({ ...validButtons, task_id: 'has space' }, /task_id may only contain/);
    onlyProblem({ ...validButtons, task_id: 'tâche' }, /task_id may only contain/);
    expect(cardProblems({ ...validButtons, task_id: 'a'.repeat(128) })).toEqual([]);
    onlyProblem({ ...validButtons, task_id: 'a'.repeat(129) }, /longer than 128 bytes/);
  });

  it('applies our text caps, counted in code points', () => {
    const { title, desc, subTitle, buttonText } = CARD_TEXT_LIMITS;
    expect([title, desc, subTitle, buttonText]).toEqual([36, 44, 160, 12]);
    expect(cardProblems({ ...validButtons, main_title: { title: '😀'.repeat(36), desc: 'd'.repeat(44) } })).toEqual([]);
    onlyProblem({ ...validButtons, main_title: { title: '😀'.repeat(37) } }, /main_title.title is 37 characters/);
    onlyProblem({ ...validButtons, main_title: { title: 't', desc: 'd'.repeat(45) } }, /main_title.desc/);
    onlyProblem({ ...validButtons, sub_title_text: 's'.repeat(161) }, /sub_title_text/);
    onlyProblem({ ...validButtons, button_list: [{ text: 'x'.repeat(13), key: 'k' }] }, /button_list\[0\].text/);
  });

  it('lists every problem at once', () => {
    const bad = {
      ...validButtons,
      main_title: {},
      button_list: [{ text: 'x'.repeat(13), key: 'k'.repeat(1025), style: 0 as 1 }],
      task_id: 'bad id',
    };
    const problems = cardProblems(bad);
    expect(problems).toHaveLength(5);
    for (const pattern of [/main_title/, /\.text is 13/, /1024 bytes/, /style/, /task_id may only/]) {
      expect(problems.some((p) => pattern.test(p))).toBe(true);
    }
  });
});

describe('cardProblems — text_notice (§7)', () => {
  it('accepts a valid card, including a mini-program action and sub_title_text alone', () => {
    expect(cardProblems(validNotice)).toEqual([]);
    const alt: TextNoticeCard = {
      card_type: 'text_notice',
      sub_title_text: 's',
      card_action: { type: 2, appid: 'wx1' },
      task_id: 't_1',
    };
    expect(cardProblems(alt)).toEqual([]);
  });

  it('needs a card_action with its target', () => {
    onlyProblem({ ...validNotice, card_action: undefined } as unknown as TextNoticeCard, /card_action is required/);
    onlyProblem({ ...validNotice, card_action: { type: 1 } }, /type 1 needs a url/);
    onlyProblem({ ...validNotice, card_action: { type: 2, url: 'https://x' } }, /type 2 needs an appid/);
    onlyProblem({ ...validNotice, card_action: { type: 3 as 1, url: 'u' } }, /must be 1 or 2/);
  });

  it('needs main_title.title or sub_title_text', () => {
    onlyProblem({ ...validNotice, main_title: { desc: 'desc only' } }, /main_title.title or sub_title_text/);
  });

  it('limits jump_list and its questions', () => {
    const jump = { type: 0 as const, title: 'j' };
    expect(cardProblems({ ...validNotice, jump_list: [jump, jump, jump] })).toEqual([]);
    onlyProblem({ ...validNotice, jump_list: [jump, jump, jump, jump] }, /at most 3 entries, got 4/);
    onlyProblem({ ...validNotice, jump_list: [{ type: 3, title: 'q' }] }, /type 3 needs a question/);
    expect(cardProblems({ ...validNotice, jump_list: [{ type: 3, title: 'q', question: '问'.repeat(66) }] })).toEqual(
      [],
    );
    onlyProblem(
      { ...validNotice, jump_list: [{ type: 3, title: 'q', question: '问'.repeat(67) }] },
      /longer than 200 bytes/,
    );
  });

  it('checks an optional task_id and lists several problems', () => {
    onlyProblem({ ...validNotice, task_id: 'no/slash' }, /task_id may only contain/);
    const bad = {
      card_type: 'text_notice',
      card_action: { type: 2 },
      jump_list: [{ type: 3, title: 'q' }],
    } as TextNoticeCard;
    expect(cardProblems(bad)).toEqual([
      'text_notice needs main_title.title or sub_title_text',
      'card_action of type 2 needs an appid',
      'jump_list[0] of type 3 needs a question',
    ]);
  });

  it('rejects an unknown card_type', () => {
    onlyProblem({ card_type: 'action_card' } as unknown as TemplateCard, /unsupported card_type "action_card"/);
  });
});

describe('fitText', () => {
  it('keeps short texts and cuts long ones on code points with "…"', () => {
    expect(fitText('abc', 3)).toBe('abc');
    expect(fitText('abcd', 3)).toBe('ab…');
    const cut = fitText('😀'.repeat(20), 12);
    expect(Array.from(cut)).toHaveLength(12);
    expect(cut).toBe(`${'😀'.repeat(11)}…`);
  });
});

describe('buttonCard', () => {
  it('builds the §6.4 example card', () => {
    const card = buttonCard({
      title: '操作',
      buttons: [{ text: '重新生成', style: 1, key: 'regen' }],
      taskId: 'task_8f3a2c1e',
    });
    expect(card).toEqual(validButtons);
  });

  it('cuts long texts instead of failing, and never splits an emoji', () => {
    const card = buttonCard({
      title: '标'.repeat(50),
      desc: '😀'.repeat(50),
      buttons: [{ text: '按钮文字过长了需要截断一下', key: 'k' }],
      taskId: 't',
    });
    expect(card.main_title.title).toBe(`${'标'.repeat(35)}…`);
    expect(Array.from(card.main_title.desc ?? '')).toHaveLength(44);
    expect(Buffer.from(card.main_title.desc ?? '', 'utf8').toString('utf8')).toBe(card.main_title.desc);
    expect(card.button_list[0]?.text).toBe('按钮文字过长了需要截断…');
    expect(cardProblems(card)).toEqual([]);
  });

  it('omits an empty title or desc and the missing style', () => {
    const card = buttonCard({ title: '', desc: 'why', buttons: [{ text: 'ok', key: 'ok' }], taskId: 't' });
    expect(card.main_title).toEqual({ desc: 'why' });
    expect(card.button_list[0]).toEqual({ text: 'ok', key: 'ok' });
  });

  it('throws CardError on a too-long key, which it never cuts', () => {
    const key = 'k'.repeat(1025);
    const build = () => buttonCard({ title: 't', buttons: [{ text: 'a', key }], taskId: 't' });
    expect(build).toThrow(CardError);
    try {
      build();
    } catch (error) {
      expect((error as CardError).code).toBe('CARD_INVALID');
      expect((error as CardError).issues).toEqual(['button_list[0].key is longer than 1024 bytes']);
      expect((error as CardError).name).toBe('CardError');
    }
  });

  it('throws CardError on 7 buttons, a missing title and a bad task_id', () => {
    expect(() => buttonCard({ title: 't', buttons: [1, 2, 3, 4, 5, 6, 7].map(button), taskId: 't' })).toThrow(
      /1 to 6 buttons, got 7/,
    );
    expect(() => buttonCard({ title: '', buttons: [button(1)], taskId: 't' })).toThrow(CardError);
    expect(() => buttonCard({ title: 't', buttons: [button(1)], taskId: 'a b' })).toThrow(/task_id/);
  });
});

describe('newTaskId', () => {
  it('is well-formed and unique over 1000 ids', () => {
    const ids = Array.from({ length: 1000 }, () => newTaskId('regen'));
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^regen_[0-9a-z]+$/);
      expect(Buffer.byteLength(id, 'utf8')).toBeLessThanOrEqual(128);
    }
  });

  it('accepts the longest allowed prefix and rejects bad ones', () => {
    expect(Buffer.byteLength(newTaskId('p'.repeat(97)))).toBeLessThanOrEqual(128);
    for (const prefix of ['', 'a b', 'tâche', 'p'.repeat(98)]) expect(() => newTaskId(prefix)).toThrow(CardError);
  });
});

describe('reply JSON', () => {
  it('wraps a card as a passive template_card reply (§6.1/§6.3)', () => {
    expect(JSON.parse(templateCardReplyJson(validNotice))).toEqual({
      msgtype: 'template_card',
      template_card: validNotice,
    });
  });

  it('builds update_template_card with and without userids (§6.5)', () => {
    expect(JSON.parse(updateCardReplyJson(validButtons, ['zhangsan']))).toEqual({
      response_type: 'update_template_card',
      userids: ['zhangsan'],
      template_card: validButtons,
    });
    const forAll = updateCardReplyJson(validButtons);
    expect(JSON.parse(forAll)).toEqual({ response_type: 'update_template_card', template_card: validButtons });
    expect(forAll.startsWith('{"response_type":"update_template_card","template_card":')).toBe(true);
  });

  it('refuses to wrap an invalid card', () => {
    expect(() => templateCardReplyJson({ ...validNotice, card_action: { type: 1 } })).toThrow(CardError);
    expect(() => updateCardReplyJson({ ...validButtons, button_list: [] })).toThrow(CardError);
  });
});
