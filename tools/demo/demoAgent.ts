import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import sharp from 'sharp';

/**
 * A DEMO agent, not Dify: a tiny server that speaks the part of Dify's Service API the gateway uses
 * (dify-api.md §4.1: `data: {json}` events, chat mode) and streams a canned answer with a thinking
 * section and a picture, so `npm run demo` shows the whole flow without a real Dify.
 */
const THINKING = ['<think>', '用户想看演示。', '先思考一下，', '再给出带图片的回答。', '</think>'];
const ANSWER = [
  '这是 **演示智能体** 的回答（不是真实的 Dify）：\n\n',
  '1. 网关收到加密回调，',
  '立即回复“正在思考中”；\n',
  '2. 后台流式读取智能体的回答；\n',
  '3. 企业微信每秒轮询，看到回答逐步变长。\n\n',
  '下面是一张生成的图片：\n\n',
  '![演示图表](/files/demo-chart.png)',
];

function demoChart(): Promise<Buffer> {
  const bars = [40, 90, 65, 120, 80]
    .map((h, i) => `<rect x="${30 + i * 60}" y="${150 - h}" width="40" height="${h}" fill="#2f7bf6"/>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="340" height="180"><rect width="100%" height="100%" fill="#fff"/>${bars}<line x1="20" y1="150" x2="330" y2="150" stroke="#333"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

async function streamAnswer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  for await (const chunk of req) void chunk; // the question itself does not matter to a canned demo
  const envelope = {
    conversation_id: randomUUID(),
    message_id: randomUUID(),
    created_at: Math.floor(Date.now() / 1000),
    task_id: randomUUID(),
  };
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
  for (const answer of [...THINKING, ...ANSWER]) {
    res.write(`data: ${JSON.stringify({ event: 'message', ...envelope, id: envelope.message_id, answer })}\n\n`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  res.end(`data: ${JSON.stringify({ event: 'message_end', ...envelope, id: envelope.message_id, metadata: {} })}\n\n`);
}

/** Listens on 127.0.0.1; resolves with the base URL to use as DIFY_API_BASE_URL. */
export async function startDemoAgent(): Promise<{ baseUrl: string; server: Server }> {
  const chart = await demoChart();
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/files/demo-chart.png')
      res.writeHead(200, { 'Content-Type': 'image/png' }).end(chart);
    else if (req.method === 'GET' && path === '/v1/info') send(res, 200, { name: 'Demo agent', mode: 'chat' });
    else if (req.method === 'GET' && path === '/v1/parameters')
      send(res, 200, { opening_statement: '', suggested_questions: [], file_upload: { enabled: false } });
    else if (req.method === 'POST' && path === '/v1/chat-messages') void streamAnswer(req, res);
    else send(res, 404, { code: 'not_found', message: 'not part of the demo', status: 404 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, server };
}
