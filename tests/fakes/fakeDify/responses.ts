/**
 * Non-streaming responses of the fake Dify. Error bodies use Flask's `json.dumps` style
 * (`{"code": "…", "message": "…", "status": 400}`, dify-api.md §10 F8).
 */
import type { ServerResponse } from 'node:http';
import { sendBody } from '../shared/localServer';
import { legacyJson } from './encoding';
import type { DifyError, ScriptedReply } from './types';

const JSON_TYPE = 'application/json';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendBody(res, status, JSON.stringify(body), { 'Content-Type': JSON_TYPE });
}

/** §5.1 envelope; 401s carry `WWW-Authenticate: Bearer realm="api"` (§1.1). */
export function sendDifyError(res: ServerResponse, error: DifyError): void {
  const body = legacyJson({ code: error.code, message: error.message, status: error.status });
  sendBody(res, error.status, body, { 'Content-Type': JSON_TYPE, ...error.headers });
}

/**
 * A scripted pre-stream error (§5.2): objects go out as JSON, strings verbatim (text/html by
 * default — the proxy 502/504 pages of P14).
 */
export function sendScriptedError(res: ServerResponse, reply: Extract<ScriptedReply, { kind: 'error' }>): void {
  const isText = typeof reply.body === 'string';
  const body = typeof reply.body === 'string' ? reply.body : legacyJson(reply.body);
  const headers: Record<string, string> = {
    'Content-Type': reply.contentType ?? (isText ? 'text/html; charset=utf-8' : JSON_TYPE),
  };
  if (reply.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="api"';
  sendBody(res, reply.status, body, headers);
}
