/**
 * Two built gateway processes, A and B, on one fresh PostgreSQL database with the fake Dify and the
 * callback bot of the harness: the setup of every multi-instance suite. `extraEnv` adds what a suite tests.
 */
import { type FakeDify, startFakeDify } from '../fakes/fakeDify';
import { FakeWecomClient } from '../fakes/fakeWecom';
import { createScratchPostgres, requirePostgresUrl } from '../helpers/databases';
import { type GatewayProcess, startGatewayProcess } from './gatewayProcess';
import { BOT } from './harness';

export interface TwoGateways {
  readonly dify: FakeDify;
  readonly a: GatewayProcess;
  readonly b: GatewayProcess;
  /** The callback bot's WeCom client for one of them. */
  wecom(gw: GatewayProcess): FakeWecomClient;
  /** SIGTERM to both; their exit codes. Then the fake Dify and the database go. */
  stop(): Promise<[number | null, number | null]>;
}

export async function startTwoGateways(extraEnv: Record<string, string>): Promise<TwoGateways> {
  const url = requirePostgresUrl();
  const dify = await startFakeDify({ apps: [{ apiKey: 'app-chat', mode: 'chat' }] });
  const scratch = await createScratchPostgres(url);
  const env = {
    WECOM_TOKEN: BOT.token,
    WECOM_ENCODING_AES_KEY: BOT.encodingAesKey,
    DIFY_API_BASE_URL: dify.baseUrl,
    DIFY_API_KEY: 'app-chat',
    DATABASE_URL: scratch.url,
    ...extraEnv,
  };
  const [a, b] = await Promise.all([
    startGatewayProcess({ ...env, INSTANCE_ID: 'A' }),
    startGatewayProcess({ ...env, INSTANCE_ID: 'B' }),
  ]);
  return {
    dify,
    a,
    b,
    wecom: (gw) => new FakeWecomClient({ baseUrl: gw.url, path: '/wecom/callback/bot1', ...BOT }),
    async stop() {
      const codes = await Promise.all([a.stop(), b.stop()]);
      await dify.close();
      await scratch.drop();
      return codes;
    },
  };
}
