/**
 * The HIL-server clients of hil-mcp / hitl-mcp as the wire sees them (hil.md §4.2–4.3, hil-clients.md):
 * the Python client (hil-mcp 0.2.0's WeComClient over httpx 0.28.1: `{url}/api/<x>`, compact JSON with
 * non-ASCII kept, its payload order, `chat_type:"group"` always) and the TypeScript one (hitl-mcp's `hil`
 * engine over Node's fetch: `{url}/<x>`, UA `node`). Independent of app/.
 */
import { randomBytes } from 'node:crypto';
import { assertLoopback } from './shared/localServer';

export interface WireAnswer {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

export interface SendArgs {
  readonly message: string;
  readonly chatId?: string;
  readonly projectName?: string;
  readonly images?: string[];
  readonly timeout?: number;
  readonly waitReply?: boolean;
}

const HTTPX_HEADERS = {
  Accept: '*/*',
  'Accept-Encoding': 'gzip, deflate',
  Connection: 'keep-alive',
  'User-Agent': 'python-httpx/0.28.1',
};

async function call(url: string, init: RequestInit): Promise<WireAnswer> {
  assertLoopback(url);
  const res = await fetch(url, init);
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json };
}

/** hil-mcp 0.2.0 `mcp_server/wecom_client.py`: `{service_url}/api{path}`. */
export class PythonHilClient {
  constructor(private readonly serviceUrl: string) {}

  private url(path: string): string {
    return `${this.serviceUrl.replace(/\/+$/, '')}/api${path}`;
  }

  /** The payload in wecom_client.send_message's order; httpx 0.28 serialises compactly, non-ASCII as is. */
  send(args: SendArgs): Promise<WireAnswer> {
    const payload: Record<string, unknown> = {
      message: args.message,
      chat_type: 'group',
      wait_reply: args.waitReply ?? true,
    };
    if (args.chatId !== undefined) payload['chat_id'] = args.chatId;
    if (args.images !== undefined) payload['images'] = args.images;
    if (args.projectName !== undefined) payload['project_name'] = args.projectName;
    if (args.timeout !== undefined) payload['timeout'] = args.timeout;
    return this.raw('POST', '/send', JSON.stringify(payload), 'application/json');
  }

  raw(method: 'GET' | 'POST', path: string, body?: string | Buffer, contentType?: string): Promise<WireAnswer> {
    const headers: Record<string, string> = { ...HTTPX_HEADERS };
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    if (method === 'POST' && body === undefined) headers['Content-Length'] = '0';
    return call(this.url(path), { method, headers, ...(body !== undefined ? { body } : {}) });
  }

  poll(sessionId: string): Promise<WireAnswer> {
    return this.raw('GET', `/poll/${sessionId}`);
  }

  markTimeout(sessionId: string): Promise<WireAnswer> {
    return this.raw('POST', `/session/${sessionId}/timeout`);
  }

  /** httpx `files={"file": (name, bytes, type)}`: a 32-hex boundary, one part. */
  uploadImage(name: string, bytes: Buffer, type: string): Promise<WireAnswer> {
    const boundary = randomBytes(16).toString('hex');
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`;
    const body = Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    return this.raw('POST', '/upload-image', body, `multipart/form-data; boundary=${boundary}`);
  }

  /** send_and_wait_reply's loop (hil.md §4.2): poll until a reply, not_found or `maxPolls`. */
  async waitForReply(sessionId: string, intervalMs = 50, maxPolls = 200): Promise<Record<string, unknown>> {
    for (let i = 0; i < maxPolls; i += 1) {
      const { json } = await this.poll(sessionId);
      if (json['has_reply'] === true || json['status'] === 'not_found') return json;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    throw new Error(`no reply to ${sessionId}`);
  }
}

/** hitl-mcp's TypeScript `hil` engine: paths appended to `--service-url` as given. */
export class TsHilClient {
  constructor(private readonly serviceUrl: string) {}

  private post(path: string, body: Record<string, unknown> | undefined): Promise<WireAnswer> {
    return call(`${this.serviceUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'node' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  send(args: SendArgs): Promise<WireAnswer> {
    const wait = args.waitReply ?? true;
    return this.post('/send', {
      message: args.message,
      chat_id: args.chatId,
      wait_reply: wait,
      project_name: args.projectName,
      ...(wait ? { timeout: args.timeout ?? 1200 } : {}),
    });
  }

  /** `--engine wecom-aibot` against `{url}`: `/api/send` with its own extra fields. */
  sendAibot(args: SendArgs & { readonly botKey: string }): Promise<WireAnswer> {
    return this.post('/api/send', {
      message: args.message,
      chat_id: args.chatId,
      wait_reply: args.waitReply ?? true,
      project_name: args.projectName,
      bot_key: args.botKey,
      upstream: 'wecom-aibot',
    });
  }

  poll(sessionId: string): Promise<WireAnswer> {
    return call(`${this.serviceUrl}/poll/${sessionId}`, { headers: { 'User-Agent': 'node' } });
  }

  markTimeout(sessionId: string): Promise<WireAnswer> {
    return this.post(`/session/${sessionId}/timeout`, undefined);
  }

  /** `--engine auto`: the engine probe, 5 s; any failure means `hil`. */
  probeEngines(): Promise<WireAnswer> {
    return call(`${this.serviceUrl}/admin/api/engines`, {
      headers: { 'User-Agent': 'node' },
      signal: AbortSignal.timeout(5000),
    });
  }
}
