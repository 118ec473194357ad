import { Agent, request } from 'node:http';
import { decodeEncodingAesKey } from '../../app/crypto/aesKey';
import { openMessage } from '../../app/crypto/messageCipher';
import { BENCH_BOT, type SignedRequest } from './requests';

const aesKey = decodeEncodingAesKey(BENCH_BOT.encodingAesKey);

export interface Target {
  readonly port: number;
}

export interface Response {
  readonly status: number;
  readonly text: string;
  readonly ms: number;
}

/** One keep-alive agent per load run, sized to the concurrency, so connections are reused like WeCom's. */
export function createAgent(concurrency: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
}

export function send(target: Target, req: SignedRequest, agent: Agent): Promise<Response> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const r = request(
      {
        host: '127.0.0.1',
        port: target.port,
        method: 'POST',
        path: req.path,
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(req.body) },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => parts.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(parts).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/** The decrypted stream object of a reply (checks that the gateway really answered a stream). */
export function streamOf(response: Response): { id: string; finish: boolean; content: string } {
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${response.text.slice(0, 100)}`);
  const envelope = JSON.parse(response.text) as { encrypt: string };
  const reply = JSON.parse(openMessage(aesKey, envelope.encrypt, '')) as {
    stream?: { id: string; finish: boolean; content: string };
  };
  if (reply.stream === undefined) throw new Error('reply is not a stream');
  return reply.stream;
}
