import request from 'supertest';
import pino from 'pino';
import { loadConfig } from '../../app/config';
import { GatewayMetrics } from '../../app/metrics';
import { createApp } from '../../app/server';
import type { CallbackService } from '../../app/services/intake/callbackService';

describe('createApp', () => {
  const { config } = loadConfig({});
  const logger = pino({ level: 'silent' });
  // No bot is configured, so no request reaches the callback service.
  const callbacks = {} as CallbackService;
  const app = createApp({ config, callbacks, logger });

  it('serves /healthz', async () => {
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers 404 for unknown routes and for callbacks when no bot is configured', async () => {
    expect((await request(app).get('/nope')).status).toBe(404);
    const res = await request(app)
      .post('/wecom/callback/x?msg_signature=a&timestamp=1&nonce=2')
      .send('{"encrypt":"abc"}');
    expect(res.status).toBe(404);
    expect(res.text).toBe('BOT_NOT_FOUND');
  });
});

describe('createApp with metrics', () => {
  it('serves Node process metrics in the Prometheus text format', async () => {
    const { config } = loadConfig({});
    const app = createApp({
      config,
      callbacks: {} as CallbackService,
      logger: pino({ level: 'silent' }),
      metrics: new GatewayMetrics(),
    });
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('process_resident_memory_bytes');
    expect(res.text).toContain('nodejs_heap_size_used_bytes');
  });
});
