import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import path from 'node:path';
import { encryptMedia } from '../../app/crypto/mediaCipher';
import { CliError } from './errors';

/**
 * Serves one file encrypted with the bot's key, like WeCom's pre-signed media URLs (§10): the gateway
 * downloads and decrypts it. Lives only as long as the command.
 */
export async function serveEncrypted(
  file: string,
  aesKey: Buffer,
  host: string,
): Promise<{ url: string; close(): Promise<void> }> {
  let plain: Buffer;
  try {
    plain = await readFile(file);
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
  const body = encryptMedia(aesKey, plain);
  const name = encodeURIComponent(path.basename(file));
  const secret = randomBytes(8).toString('hex');
  const server = createServer((req, res) => {
    if (req.url !== `/media/${secret}`) return void res.writeHead(404).end();
    res
      .writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': body.length,
        'Content-Disposition': `attachment; filename*=UTF-8''${name}`,
      })
      .end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://${host}:${port}/media/${secret}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
