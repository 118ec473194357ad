import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../../../app/config';
import { SwitchableListener, startingListener } from '../../../app/routes/starting';
import { createApp } from '../../../app/server';
import type { CallbackService } from '../../../app/services/intake/callbackService';

describe('startingListener: listening while the store opens', () => {
  const app = startingListener();

  it('answers /healthz at once and says in /readyz that the store is opening', async () => {
    expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'not ready', store: 'opening' });
  });

  it('answers every other route, callbacks included, with a 503 JSON that says it is starting', async () => {
    for (const res of [
      await request(app).post('/wecom/callback/bot1?msg_signature=a&timestamp=1&nonce=2').send('{"encrypt":"x"}'),
      await request(app).get('/metrics'),
      await request(app).post('/api/v1/humanloop/request').send({}),
    ]) {
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toMatchObject({ code: 'STARTING' });
    }
  });
});

describe('SwitchableListener', () => {
  it('serves the starting routes until the gateway is composed, then the gateway', async () => {
    const listener = new SwitchableListener(startingListener());
    const server = createServer(listener.handle).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      // A store that takes its time: one server answers "starting", then the gateway once it is open.
      let storeOpened!: () => void;
      const opening = new Promise<void>((resolve) => (storeOpened = resolve));
      void opening.then(() =>
        listener.switchTo(
          createApp({
            config: loadConfig({}).config,
            callbacks: {} as CallbackService,
            logger: pino({ level: 'silent' }),
          }),
        ),
      );
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'not ready', store: 'opening' });
      storeOpened();
      await opening;
      const ready = await fetch(`${url}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', store: true }]);
      expect((await fetch(`${url}/nope`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
