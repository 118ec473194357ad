/**
 * The ops WeCom simulator (`npm run wecom`, tools/wecom) against the real gateway: it runs as a
 * subprocess from dist/ (built by `npm test` via build:bench) in a temp dir, so no .env is read.
 * The gateway runs in this process, so the CLI is spawned asynchronously (spawnSync would block
 * the event loop the gateway needs to answer).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { md5, pngImage } from '../fakes/images';
import { BOT, type Harness, startHarness } from './harness';

const CLI = path.join(__dirname, '..', '..', 'dist', 'tools', 'wecom', 'cli.js');
/** The GoHumanLoop API key of the agents (HIL_API_KEYS); never printed by the CLI, which does not know it. */
const HIL_KEY = 'agents-key-0123456789abcdef';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

type Creds = { token: string; encodingAesKey: string };

function runCli(cwd: string, args: string[], creds: Creds = BOT): Promise<Run> {
  const env = {
    PATH: process.env['PATH'] ?? '',
    WECOM_TOKEN: creds.token,
    WECOM_ENCODING_AES_KEY: creds.encodingAesKey,
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env, encoding: 'utf8', timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = (err as { code?: unknown } | null)?.code;
        resolve({ status: err === null ? 0 : typeof code === 'number' ? code : -1, stdout, stderr });
      },
    );
  });
}

describe('npm run wecom (WeCom simulator CLI)', () => {
  let h: Harness;
  let cwd: string;

  const cli = (args: string[], creds: Creds = BOT): Promise<Run> => runCli(cwd, args, creds);

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build:bench (npm test does)`);
    cwd = mkdtempSync(path.join(tmpdir(), 'wecom-cli-'));
    h = await startHarness({
      apps: [
        {
          apiKey: 'app-chat',
          mode: 'chat',
          parameters: { file_upload: { enabled: true, allowed_file_types: ['image'] } },
        },
      ],
      env: { HIL_API_KEYS: JSON.stringify({ agents: HIL_KEY }) },
    });
  });

  /** The GoHumanLoop HTTP API of the gateway, as an agent calls it. */
  async function humanloop(method: 'GET' | 'POST', route: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${h.url}/api/v1/humanloop/${route}`, {
      method,
      headers: { Authorization: `Bearer ${HIL_KEY}`, 'Content-Type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  }

  function askPerson(
    loopType: 'approval' | 'information',
    ids: { conversation: string; request: string },
    userid: string,
  ): Promise<Record<string, unknown>> {
    return humanloop('POST', 'request', {
      task_id: 't1',
      conversation_id: ids.conversation,
      request_id: ids.request,
      loop_type: loopType,
      context: { question: loopType === 'approval' ? '上线？' : '预算是多少？' },
      platform: 'wecom',
      metadata: { userid },
    });
  }
  afterAll(async () => {
    await h.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('verify prints OK with the round trip', async () => {
    const run = await cli(['verify', `${h.url}/wecom/callback/bot1`]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/OK.* \d+ ms/);
  });

  it('chat prints the final answer and the timings', async () => {
    const run = await cli(['chat', `${h.url}/wecom/callback/bot1`, '你好', '--interval', '50']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('收到：你好');
    expect(run.stdout).not.toContain('正在思考中');
    expect(run.stdout).toMatch(/first reply: \d+ ms/);
    expect(run.stdout).toMatch(/finish: \d+ ms/);
  });

  it('a wrong token exits 1 with the 401 explanation and never prints the secrets', async () => {
    const run = await cli(['verify', `${h.url}/wecom/callback/bot1`], {
      token: 'wrongToken',
      encodingAesKey: BOT.encodingAesKey,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('the gateway rejected the signature: check WECOM_TOKEN');
    expect(run.stdout + run.stderr).not.toContain(BOT.encodingAesKey);
    expect(run.stdout + run.stderr).not.toContain('wrongToken');
  });

  it("a wrong EncodingAESKey exits 1 with the gateway's code", async () => {
    const run = await cli(['chat', `${h.url}/wecom/callback/bot1`, 'hi'], {
      token: BOT.token,
      encodingAesKey: 'a'.repeat(43),
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/HTTP 400 [A-Z_]+: .*EncodingAESKey/);
    expect(run.stdout + run.stderr).not.toContain(BOT.token);
  });

  it('an unreachable URL exits 1 with "cannot reach"', async () => {
    const run = await cli(['chat', 'http://127.0.0.1:9/wecom/callback/bot1', 'hi']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('cannot reach http://127.0.0.1:9');
  });

  it('event enter_chat prints "empty reply" when no welcome is configured', async () => {
    const run = await cli(['event', `${h.url}/wecom/callback/bot1`, 'enter_chat']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('empty reply');
  });

  it('event feedback is answered with an empty reply', async () => {
    const run = await cli(['event', `${h.url}/wecom/callback/bot1`, 'feedback', 'fb_unknown', 'like']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('empty reply');
  });
  it('image: serves the file encrypted like WeCom, and the gateway uploads the same bytes to Dify', async () => {
    const png = await pngImage(24, 16);
    const file = path.join(cwd, '图表.png');
    writeFileSync(file, png);
    const run = await cli(['image', `${h.url}/wecom/callback/bot1`, file, '--interval', '50']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('first reply');
    expect(h.dify.uploads.at(-1)).toMatchObject({ filename: '图表.png', md5: md5(png) });
  });

  it('click: a key nothing claims is answered with an empty reply', async () => {
    const run = await cli(['click', `${h.url}/wecom/callback/bot1`, 'task_nobody_1', 'nobody:claims', '--user', 'u-x']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('empty reply');
  });

  it('click needs a task_id and an event_key', async () => {
    const run = await cli(['click', `${h.url}/wecom/callback/bot1`, 'task_only']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('click needs <task_id> <event_key>');
  });

  it('an approval queued for a user: enter_chat shows its card with task_id and keys, click approves it', async () => {
    const user = 'cli-approver';
    const url = `${h.url}/wecom/callback/bot1`;
    const asked = await askPerson('approval', { conversation: 'c1', request: 'r1' }, user);
    expect(asked).toMatchObject({ success: true });

    const welcome = await cli(['event', url, 'enter_chat', '--user', user]);
    expect(welcome.stderr).toBe('');
    expect(welcome.status).toBe(0);
    expect(welcome.stdout).toContain('template_card');
    expect(welcome.stdout).toContain('title: 需要你的审批');
    const taskId = /^ {2}task_id: (\S+)$/m.exec(welcome.stdout)?.[1];
    const keys = [...welcome.stdout.matchAll(/^ {2}button "[^"]*": (\S+)$/gm)].map((m) => m[1]);
    expect(taskId).toMatch(/^hil_[0-9a-f]{8}_/);
    expect(keys[0]).toMatch(/^hil:approve:[0-9a-f]{8}$/);
    expect(keys).toHaveLength(3);
    expect(welcome.stdout).toContain(
      `to click: npm run wecom -- click ${url} ${taskId as string} <key> --user ${user}`,
    );

    const click = await cli(['click', url, taskId as string, keys[0] as string, '--user', user]);
    expect(click.stderr).toBe('');
    expect(click.status).toBe(0);
    expect(click.stdout).toContain('update_template_card for everyone');
    expect(click.stdout).toContain(`title: 已批准 ✅ 由 ${user}`);
    expect(click.stdout).toContain(`task_id: ${taskId as string}`);

    const status = await humanloop('GET', 'status?conversation_id=c1&request_id=r1&platform=wecom');
    expect(status).toMatchObject({ success: true, status: 'approved' });
    expect(welcome.stdout + click.stdout + welcome.stderr + click.stderr).not.toContain(HIL_KEY);
  });

  it('click by someone who is not the approver: the card is updated for that user only', async () => {
    const url = `${h.url}/wecom/callback/bot1`;
    const user = 'cli-owner';
    await askPerson('approval', { conversation: 'c-other', request: 'r-other' }, user);
    const welcome = await cli(['event', url, 'enter_chat', '--user', user]);
    const taskId = /^ {2}task_id: (\S+)$/m.exec(welcome.stdout)?.[1] as string;
    const key = /^ {2}button "[^"]*": (hil:approve:\S+)$/m.exec(welcome.stdout)?.[1] as string;
    const click = await cli(['click', url, taskId, key, '--user', 'cli-stranger']);
    expect(click.stderr).toBe('');
    expect(click.status).toBe(0);
    expect(click.stdout).toContain('update_template_card for userids cli-stranger');
    expect(click.stdout).toContain('title: 无权限');
  });

  it('chat "同意 …" --quote "[#id t1] …" approves the request quoted', async () => {
    const user = 'cli-quoter';
    const asked = await askPerson('approval', { conversation: 'c3', request: 'r3' }, user);
    const shortId = asked['short_id'] as string;
    const quote = `[#${shortId} t1] 需要你的审批`;
    const run = await cli(['chat', `${h.url}/wecom/callback/bot1`, '同意 没问题', '--quote', quote, '--user', user]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`已批准 [#${shortId}] ✅`);
    const status = await humanloop('GET', 'status?conversation_id=c3&request_id=r3&platform=wecom');
    expect(status).toMatchObject({ success: true, status: 'approved' });
  });

  it('chat --quote answers an information request by its [#short_id]', async () => {
    const user = 'cli-informant';
    const asked = await askPerson('information', { conversation: 'c2', request: 'r2' }, user);
    const shortId = asked['short_id'];
    expect(shortId).toMatch(/^[0-9a-f]{8}$/);
    const run = await cli([
      'chat',
      `${h.url}/wecom/callback/bot1`,
      '预算五万',
      '--quote',
      `[#${shortId as string} t1] 预算是多少？`,
      '--user',
      user,
      '--interval',
      '50',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`已收到你的回复 [#${shortId as string}] ✅`);
    const status = await humanloop('GET', 'status?conversation_id=c2&request_id=r2&platform=wecom');
    expect(status).toMatchObject({ success: true, status: 'completed' });
  });
});

describe('npm run wecom: template cards of the welcome and of an answer', () => {
  let h: Harness;
  let cwd: string;
  const cli = (args: string[]): Promise<Run> => runCli(cwd, args);

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build:bench (npm test does)`);
    cwd = mkdtempSync(path.join(tmpdir(), 'wecom-cli-cards-'));
    h = await startHarness({
      apps: [
        {
          apiKey: 'app-chat',
          mode: 'chat',
          suggestions: ['怎么报销？', '差旅标准是什么？'],
          parameters: { opening_statement: '你好，我是财务助手。', suggested_questions: ['发票怎么开？'] },
        },
      ],
      env: { DIFY_SUGGESTIONS: 'true', WECOM_WELCOME_CARD: 'true' },
    });
  });
  afterAll(async () => {
    await h.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('chat prints the card of a stream_with_template_card with its task_id and button keys', async () => {
    const url = `${h.url}/wecom/callback/bot1`;
    const run = await cli(['chat', url, '报销问题', '--interval', '50', '--user', 'carder']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('收到：报销问题');
    expect(run.stdout).toContain('template card:');
    expect(run.stdout).toContain('  button "怎么报销？": ask:怎么报销？');
    expect(run.stdout).toContain('  button "差旅标准是什么？": ask:差旅标准是什么？');
    const taskId = /^ {2}task_id: (\S+)$/m.exec(run.stdout)?.[1] as string;
    expect(run.stdout).toContain(`to click: npm run wecom -- click ${url} ${taskId} <key> --user carder`);
  });

  it('event enter_chat prints the welcome card, and click asks its question', async () => {
    const url = `${h.url}/wecom/callback/bot1`;
    const welcome = await cli(['event', url, 'enter_chat', '--user', 'welcomed']);
    expect(welcome.stderr).toBe('');
    expect(welcome.status).toBe(0);
    expect(welcome.stdout).toContain('reply');
    expect(welcome.stdout).toContain('title: 你好，我是财务助手。');
    expect(welcome.stdout).toContain('  button "发票怎么开？": ask:发票怎么开？');
    const taskId = /^ {2}task_id: (\S+)$/m.exec(welcome.stdout)?.[1] as string;
    expect(taskId).toMatch(/^welcome_/);

    const click = await cli(['click', url, taskId, 'ask:发票怎么开？', '--user', 'welcomed']);
    expect(click.stderr).toBe('');
    expect(click.status).toBe(0);
    expect(click.stdout).toContain('update_template_card');
    expect(click.stdout).toContain(`task_id: ${taskId}`);
    expect(click.stdout).toContain('发票怎么开？');
  });
});
