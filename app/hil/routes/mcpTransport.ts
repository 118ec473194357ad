import {
  StreamableHTTPServerTransport,
  type StreamableHTTPServerTransportOptions,
} from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/**
 * The SDK's transport, behind a module of ours that mcpSessions.ts loads with the first session: an
 * `import()` of the SDK itself would load its ESM build beside the CommonJS one the tools use.
 */
export function newTransport(options: StreamableHTTPServerTransportOptions): StreamableHTTPServerTransport {
  return new StreamableHTTPServerTransport(options);
}
