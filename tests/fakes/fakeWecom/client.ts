/**
 * Plays WeCom's side of the AI-bot callback protocol against the gateway over real HTTP
 * (wecom-aibot-protocol.md §3 URL verification, §4 encrypted POST, §5.9 stream refresh polls).
 */
import { assertLoopback } from '../shared/localServer';
import { loopbackRequest } from '../shared/loopbackRequest';
import { openReply, seal, tamper, type WecomKeys } from './envelope';
import { randomNonce, streamRefreshPayload, textPayload, unixSeconds, type MessageOpts } from './payloads';
import { runConversation, type ChatOpts, type ChatTranscript } from './transcript';

export interface FakeWecomOptions {
  baseUrl: string;
  path: string;
  token: string;
  encodingAesKey: string;
  receiveId?: string;
  aibotid?: string;
}

export interface CallbackResult {
  status: number;
  text: string;
  contentType?: string;
  reply?: Record<string, unknown>;
  envelope?: Record<string, unknown>;
  ms: number;
}

export interface PostOpts {
  tamperSignature?: boolean;
  rawBody?: string;
  timestamp?: string;
  nonce?: string;
  /** Request Content-Type; WeCom's is undocumented (§4.1), default `application/json`. */
  contentType?: string;
}

function parseEnvelope(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    const isObject = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
    return isObject && 'encrypt' in parsed ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export class FakeWecomClient {
  readonly aibotid: string;
  private readonly keys: WecomKeys;

  constructor(private readonly opts: FakeWecomOptions) {
    assertLoopback(opts.baseUrl);
    if (opts.encodingAesKey.length !== 43) throw new Error('EncodingAESKey must be 43 characters (§2.1)');
    this.keys = { token: opts.token, encodingAesKey: opts.encodingAesKey, receiveId: opts.receiveId ?? '' };
    this.aibotid = opts.aibotid ?? 'aibFAKEBOT0001';
  }

  /** §3: GET with msg_signature/timestamp/nonce/echostr, URL-encoded (`+/=` → %2B %2F %3D). */
  async verifyUrl(
    echoPlain = `${Date.now()}${randomNonce()}`.slice(0, 19),
  ): Promise<{ status: number; text: string; contentType?: string; expected: string }> {
    const timestamp = unixSeconds();
    const nonce = randomNonce();
    const sealed = seal(this.keys, echoPlain, timestamp, nonce);
    const query = { msg_signature: sealed.signature, timestamp, nonce, echostr: sealed.encrypt };
    const res = await loopbackRequest(this.url(query), { method: 'GET' });
    return { status: res.status, text: res.text, contentType: res.contentType, expected: echoPlain };
  }

  /**
   * §4.1: encrypt + sign + POST `{"encrypt": …}`. An encrypted reply envelope is verified
   * (signature, nonce, receiveid — throws otherwise), decrypted and JSON-parsed into `reply`.
   */
  async post(payload: Record<string, unknown>, opts: PostOpts = {}): Promise<CallbackResult> {
    const timestamp = opts.timestamp ?? unixSeconds();
    const nonce = opts.nonce ?? randomNonce();
    const sealed = seal(this.keys, JSON.stringify(payload), timestamp, nonce);
    const signature = opts.tamperSignature ? tamper(sealed.signature) : sealed.signature;
    const res = await loopbackRequest(this.url({ msg_signature: signature, timestamp, nonce }), {
      method: 'POST',
      headers: { 'Content-Type': opts.contentType ?? 'application/json' },
      body: opts.rawBody ?? JSON.stringify({ encrypt: sealed.encrypt }),
    });
    const result: CallbackResult = { status: res.status, text: res.text, contentType: res.contentType, ms: res.ms };
    const envelope = parseEnvelope(res.text);
    if (!envelope) return result;
    const plaintext = openReply(this.keys, envelope, nonce);
    try {
      result.reply = JSON.parse(plaintext) as Record<string, unknown>;
    } catch {
      throw new Error(`decrypted reply is not JSON: ${plaintext.slice(0, 200)}`);
    }
    return { ...result, envelope };
  }

  async sendText(text: string, opts: MessageOpts = {}): Promise<CallbackResult & { msgid: string }> {
    const payload = textPayload(text, { aibotid: this.aibotid, ...opts });
    const result = await this.post(payload);
    return { ...result, msgid: String(payload['msgid']) };
  }

  /** §5.9: one refresh poll for `streamId`, with a fresh msgid. */
  poll(streamId: string, opts: MessageOpts = {}): Promise<CallbackResult> {
    return this.post(streamRefreshPayload(streamId, { aibotid: this.aibotid, ...opts }));
  }

  /** Sends a text message, then polls like WeCom until finish / pollUntil / maxPolls. */
  chat(text: string, opts: ChatOpts = {}): Promise<ChatTranscript> {
    return this.chatPayload(textPayload(text, { aibotid: this.aibotid, ...opts }), opts);
  }

  /** Same as chat() for any user-message payload (image, mixed, voice, … from payloads.ts). */
  chatPayload(payload: Record<string, unknown>, opts: ChatOpts = {}): Promise<ChatTranscript> {
    return runConversation(this, payload, opts);
  }

  private url(query: Record<string, string>): string {
    const url = new URL(this.opts.path, this.opts.baseUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url.toString();
  }
}
