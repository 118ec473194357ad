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

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

describe('npm run wecom (WeCom simulator CLI)', () => {
  let h: Harness;
  let cwd: string;

  function cli(args: string[], creds: { token: string; encodingAesKey: string } = BOT): Promise<Run> {
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
    });
  });
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
});
