import type { Logger } from 'pino';
import type { Texts } from '../config/texts';
import { errorFields } from '../logger';
import { streamReplyBody } from '../services/wecom/reply';
import { ownerLostFinal, withoutThinking } from '../services/wecom/streamContent';
import type { OrphanStreams, StreamRecord } from '../store/streamStore';
import type { WsBotConnection } from './botConnection';
import { chatTargetOf } from './chatTarget';
import type { ConversationQuota } from './conversationQuota';
import { pushMarkdown, sendFailureFields } from './wsDelivery';

export interface WsOrphansDeps {
  readonly streams: OrphanStreams;
  readonly texts: Texts;
  readonly quota: ConversationQuota;
  readonly logger: Logger;
}

/** WeCom takes replies within 24 h of the user's message (§12); older streams are left alone. */
const REPLY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** How long a freshly started connection may take to come up before the sweep gives up (until the next takeover). */
const CONNECT_WAIT_MS = 60_000;

/**
 * Finishes the answers a bot's previous connection holder left running (issue #14 scope 5). The lease
 * of a websocket bot passes to another instance when its holder stops or dies (wsConnections); one that
 * stopped finished its answers first, so a running stream of the bot owned elsewhere was left by one
 * that died, and the user sees it spinning. The new holder finishes each once — the store's
 * conditional UPDATE decides who, also against the dying owner — with what it had shown and the
 * OWNER_LOST notice: as the finishing stream frame, replied with the message's req_id on the new
 * connection (§12: every reply to a callback echoes its req_id, and replies are taken within 24 h),
 * or, when WeCom refuses that frame (req_id unknown to this connection, 846605; stream expired,
 * 846608), as a pushed markdown message to the chat (aibot_send_msg).
 */
export class WsOrphans {
  constructor(private readonly deps: WsOrphansDeps) {}

  /** Called when this instance took the bot's lease and started its connection. Never throws. */
  async finishLeftBehind(conn: WsBotConnection): Promise<void> {
    const log = this.deps.logger.child({ bot: conn.bot.key });
    try {
      if (!(await conn.whenConnected(CONNECT_WAIT_MS))) return;
      const orphans = await this.deps.streams.orphansOf(conn.bot.key, REPLY_WINDOW_MS);
      for (const record of orphans) await this.finishOne(conn, record, log);
    } catch (err) {
      log.error({ err: errorFields(err) }, 'streams left by the previous connection holder could not be finished');
    }
  }

  private async finishOne(conn: WsBotConnection, record: StreamRecord, log: Logger): Promise<void> {
    const { texts } = this.deps;
    const { meta } = record;
    const content = ownerLostFinal(record.snapshot.content, texts.THINKING, texts.OWNER_LOST, texts.TRUNCATED);
    if (!(await this.deps.streams.finishOrphan(meta.id, content))) return;
    const ids = { stream: meta.id, msgid: meta.msgid };
    log.warn({ ...ids, outcome: 'owner_lost' }, 'finishing a stream whose instance stopped');
    const chat = chatTargetOf(conn.bot.key, meta);
    if (meta.reqId !== undefined) {
      try {
        await this.deps.quota.acquire(chat.quotaKey);
        await conn.reply(meta.reqId, 'aibot_respond_msg', streamReplyBody({ id: meta.id, finish: true, content }));
        return;
      } catch (err) {
        log.warn({ ...ids, ...sendFailureFields(err) }, 'finishing frame refused: pushing the notice as a message');
      }
    }
    await pushMarkdown({ conn, quota: this.deps.quota, logger: log }, chat, withoutThinking(content), ids);
  }
}
