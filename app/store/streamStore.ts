/**
 * Stream state: the turn writes snapshots, WeCom's polls read them (ARCHITECTURE.md "One message", steps 4-6). The
 * interface is asynchronous so that a shared store can implement it (several instances behind one
 * URL, wecom-aibot-protocol.md §15.13).
 */
export interface StreamMeta {
  readonly id: string;
  readonly msgid: string;
  /** The bot (`:botid` path segment) that accepted the message; polls from another bot do not see it. */
  readonly botKey: string;
  readonly aibotid: string;
  readonly userid: string;
  readonly chatid: string | undefined;
  readonly chattype: 'single' | 'group';
  /** One-shot URL for the late answer (§9); polls do not carry it. */
  readonly responseUrl: string | undefined;
  /** When the gateway received the message (ms since epoch); the 6-minute window counts from here. */
  readonly receivedAt: number;
  /**
   * The long connection: the req_id of the message's frame, which every frame of its answer echoes
   * (§12). Stored, so that the next holder of the bot's lease can finish a stream whose instance died.
   */
  readonly reqId?: string;
}

/** An image for `stream.msg_item` (wecom-aibot-protocol.md §6.2). */
export interface StreamImage {
  /** Standard base64 of the raw JPG/PNG bytes. */
  readonly base64: string;
  /** Lowercase hex md5 of the raw bytes. */
  readonly md5: string;
}

export interface StreamSnapshot {
  readonly content: string;
  readonly finish: boolean;
  readonly images?: readonly StreamImage[];
  /** A template card sent with the finishing reply (stream_with_template_card, §6.4); kept by the owner only. */
  readonly card?: object;
}

export interface StreamRecord {
  readonly meta: StreamMeta;
  readonly snapshot: StreamSnapshot;
  /** Still running, but the instance running it stopped beating: it will never finish on its own. */
  readonly stale?: boolean;
}

/** A msgid claim (wecom-aibot-protocol.md §15.7): the first callback wins; a retry gets the same stream. */
export type ClaimResult = { readonly won: true } | { readonly won: false; readonly streamId: string };

export interface StreamStore {
  /**
   * Claims `claimKey` (bot + msgid) and creates the stream in one step: atomic across instances, so a
   * retry that lands on another instance gets this stream back and starts nothing.
   */
  claim(claimKey: string, meta: StreamMeta, initial: StreamSnapshot): Promise<ClaimResult>;
  create(meta: StreamMeta, initial: StreamSnapshot): Promise<void>;
  get(id: string): Promise<StreamRecord | undefined>;
  /** Replaces the snapshot; ignored once a finished snapshot was stored (a stream finishes once). */
  publish(id: string, snapshot: StreamSnapshot): Promise<void>;
}

/**
 * Long-connection streams whose instance stopped before finishing them (killed, crashed): nobody polls
 * them, so the next holder of their bot's lease finishes them (wecom-aibot-protocol.md §12).
 */
export interface OrphanStreams {
  /** Running streams of `botKey` that no running instance owns, received within `maxAgeMs`, oldest first. */
  orphansOf(botKey: string, maxAgeMs: number): Promise<StreamRecord[]>;
  /** Finishes the stream with `content` unless it finished already: true for the one call that did. */
  finishOrphan(id: string, content: string): Promise<boolean>;
}
