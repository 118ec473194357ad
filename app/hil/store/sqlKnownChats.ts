import type { Queryable } from '../../store/database';

/**
 * Which bots have seen a group chat of this chatid (the message log, schema v6's index): a hil-mcp
 * `chat_id` is a group's chatid or a user's userid, and only the log tells which (hil.md §4.4).
 */
export class SqlKnownChats {
  constructor(private readonly db: Queryable) {}

  /** The bots that logged a group message in this chat, the most recent first. */
  async groupBots(chatid: string): Promise<string[]> {
    const { rows } = await this.db.query<{ bot_key: string }>(
      `SELECT bot_key FROM messages WHERE chatid = $1 AND chattype = 'group'
        GROUP BY bot_key ORDER BY max(received_at) DESC LIMIT 10`,
      [chatid],
    );
    return rows.map((row) => row.bot_key);
  }
}
