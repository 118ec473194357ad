/**
 * What the MCP endpoint tests share: a gateway whose API key `agents` has a default chat with the
 * long-connection bot, a second key without one, and the official SDK client over Streamable HTTP.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { McpSettings } from '../../../app/config/hil';
import type { HilRequest } from '../../../app/hil/store/hilRequests';
import { type Harness, WS_BOT, startHarness } from '../harness';
import { API_KEY, shortIdOf, waitConnected } from './hilKit';
import { until } from '../../helpers/until';

export { API_KEY };
export const OTHER_KEY = 'mcp-other-key-0123456789abcdef';
/** The userid of `agents`' default chat (a single chat with the long-connection bot). */
export const MCP_USER = 'mcpuser';

export async function startMcpHarness(mcp?: Partial<McpSettings>): Promise<Harness> {
  const h = await startHarness({
    websocket: true,
    ...(mcp === undefined ? {} : { hilMcp: mcp }),
    env: {
      HIL_API_KEYS: JSON.stringify({
        agents: { key: API_KEY, defaultChat: `${WS_BOT.key}/single:${MCP_USER}` },
        other: OTHER_KEY,
      }),
      HIL_EXPIRY_SWEEP_SECONDS: '1',
    },
  });
  await waitConnected(h);
  return h;
}

export interface Connected {
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport;
}

/** The SDK client as Claude Code or Cursor configure it: the key in a header of every request. */
export async function connect(h: Pick<Harness, 'url'>, key: string = API_KEY): Promise<Connected> {
  const client = new Client({ name: 'mcp-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  return { client, transport };
}

export const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

/** A POST as the SDK client makes it, with whatever headers the test wants to change. */
export function post(h: Harness, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${h.url}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...headers,
    },
    body,
  });
}

/** The request a markdown (or card description) names by its `[#id]`. */
export async function requestNamed(h: Harness, text: string): Promise<HilRequest> {
  const request = await h.gateway.hil.requests.byShortId(shortIdOf(text));
  if (request === undefined) throw new Error('no request has that short id');
  return request;
}

export async function statusBecomes(h: Harness, id: string, status: string): Promise<HilRequest> {
  let request: HilRequest | undefined;
  await until(async () => (request = await h.gateway.hil.requests.byId(id))?.status === status, 5000, status);
  return request as HilRequest;
}

/**
 * Waits until the request a pushed text names is recorded as delivered: the push reaches the fake before
 * the gateway records it, and a request that takes the next message takes it only once delivered.
 */
export async function deliveredNamed(h: Harness, text: string): Promise<HilRequest> {
  let request: HilRequest | undefined;
  await until(async () => (request = await requestNamed(h, text)).delivery === 'delivered', 5000, 'delivered');
  return request as HilRequest;
}

/** The structured result of a tool call (the text content carries the same JSON). */
export function structured(result: unknown): Record<string, unknown> {
  const { structuredContent, content } = result as {
    structuredContent?: Record<string, unknown>;
    content: Array<{ type: string; text: string }>;
  };
  expect(JSON.parse(content[0]!.text)).toEqual(structuredContent ?? expect.anything());
  return structuredContent ?? (JSON.parse(content[0]!.text) as Record<string, unknown>);
}
