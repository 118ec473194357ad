/**
 * What the people-in-the-loop tests share: a gateway with one callback bot (`*`) and one long-connection
 * bot (WS_BOT), an API key, an operator, and readers of what the bot sent to WeCom.
 */
import type { ClientFrame } from '../../fakes/fakeWecomWs';
import { GoHumanLoopClient } from '../../fakes/goHumanLoop';
import { type Harness, WS_BOT, startHarness } from '../harness';

export const API_KEY = 'ghl-test-key-0123456789abcdef';
export const OPERATOR = { email: 'ops@example.com', password: 'correct horse battery' };

export async function startHilHarness(env: Record<string, string> = {}): Promise<Harness> {
  return startHarness({
    websocket: true,
    env: {
      HIL_API_KEYS: JSON.stringify({ agents: API_KEY }),
      FIRST_SUPERUSER: OPERATOR.email,
      FIRST_SUPERUSER_PASSWORD: OPERATOR.password,
      ...env,
    },
  });
}

export async function waitConnected(h: Harness): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if ((await h.gateway.ready()).websocket?.[WS_BOT.key] === 'connected') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('websocket bot never connected');
}

/** `null`: no Authorization header at all (APIProvider with api_key=None, hil.md §2.2). */
export function ghl(h: Harness, key: string | null = API_KEY): GoHumanLoopClient {
  return new GoHumanLoopClient(`${h.url}/api`, key ?? undefined);
}

/** The next aibot_send_msg push to `chatid` after `afterSeq`. */
export function pushTo(h: Harness, chatid: string, afterSeq = 0): Promise<ClientFrame> {
  return h.ws!.waitForFrame((f) => f.cmd === 'aibot_send_msg' && f.body?.['chatid'] === chatid && f.seq > afterSeq);
}

export function lastSeq(h: Harness): number {
  return h.ws!.frames.reduce((max, f) => Math.max(max, f.seq), 0);
}

export interface PushedCard {
  readonly taskId: string;
  readonly keys: string[];
  readonly title: string;
}

export function cardOf(frame: ClientFrame): PushedCard {
  const card = frame.body?.['template_card'] as {
    task_id: string;
    button_list: Array<{ key: string }>;
    main_title: { title: string };
  };
  return { taskId: card.task_id, keys: card.button_list.map((b) => b.key), title: card.main_title.title };
}

export function markdownOf(frame: ClientFrame): string {
  return (frame.body?.['markdown'] as { content?: string } | undefined)?.content ?? '';
}

/** The gateway's answer to an event frame (aibot_respond_update_msg or _welcome_msg) of `reqId`. */
export function answerTo(h: Harness, reqId: string, cmd: string): Promise<ClientFrame> {
  return h.ws!.waitForFrame((f) => f.reqId === reqId && f.cmd === cmd);
}

export function updatedCard(frame: ClientFrame): { title: string; userids: unknown; taskId: string } {
  const body = frame.body as { userids?: unknown; template_card: { main_title: { title: string }; task_id: string } };
  return { title: body.template_card.main_title.title, userids: body.userids, taskId: body.template_card.task_id };
}

export function shortIdOf(text: string): string {
  const match = /\[#([0-9a-f]{8})/.exec(text);
  if (match === null) throw new Error('no [#id] in the text');
  return match[1] as string;
}

/** What the gateway posted to the response_url `code` (waits up to 5 s for it). */
export async function postTo(h: Harness, code: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i += 1) {
    const post = h.responseUrls.posts.find((p) => p.code === code);
    if (post !== undefined) return post.body as Record<string, unknown>;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing was posted to response_url ${code}`);
}
