import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors';

/** WeCom callbacks are small JSON envelopes; anything bigger is refused (issue #2 "Bad input"). */
export const MAX_CALLBACK_BODY_BYTES = 1024 * 1024;

/**
 * Reads the raw request body as UTF-8. WeCom's POST content type is undocumented
 * (wecom-aibot-protocol.md §4.1, §15.21), so no content-type based parser is used; the size is
 * checked against Content-Length up front and against the bytes actually received.
 */
export function readRawBody(req: IncomingMessage, limit = MAX_CALLBACK_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new GatewayError('BODY_TOO_LARGE', `body over ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(new GatewayError('BODY_TOO_LARGE', `body over ${limit} bytes`));
        return;
      }
      parts.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(parts, size).toString('utf8'));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new GatewayError('BODY_MALFORMED', 'request body could not be read', { cause: err }));
    };
    function cleanup(): void {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
