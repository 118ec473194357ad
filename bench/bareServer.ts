import { decodeEncodingAesKey } from '../app/crypto/aesKey';
import { DifyStreams } from './bare/difyStreams';
import { createBareServer, type Framework } from './bare/frameworks';
import { exitOnSignals, listenLoopback, readPort } from './shared/http';

/**
 * "The limit" for `npm run bench` (issue #5): the gateway's essential hot path on bare node:http
 * or bare Express, nothing else (no store, no logging, no turn state machine).
 * Run: FRAMEWORK=http|express PORT=0 DIFY_URL=http://127.0.0.1:<p>/v1 WECOM_TOKEN=… \
 *      WECOM_ENCODING_AES_KEY=… node dist/bench/bareServer.js → prints `LISTENING <port>`.
 */

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
}

function framework(): Framework {
  const value = process.env['FRAMEWORK'] ?? 'http';
  if (value !== 'http' && value !== 'express') throw new Error(`FRAMEWORK must be http or express (got ${value})`);
  return value;
}

async function main(): Promise<void> {
  const creds = {
    token: required('WECOM_TOKEN'),
    aesKey: decodeEncodingAesKey(required('WECOM_ENCODING_AES_KEY')),
    // The AI bot's receiveid is the empty string (wecom-aibot-protocol.md §2.3).
    receiveId: '',
  };
  const dify = new DifyStreams(required('DIFY_URL'), process.env['DIFY_API_KEY'] ?? 'app-bench');
  const server = createBareServer(framework(), { creds, dify });
  exitOnSignals();
  await listenLoopback(server, readPort(process.env));
}

main().catch((err: unknown) => {
  process.stderr.write(`bare server failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
