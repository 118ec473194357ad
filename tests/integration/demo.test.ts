/**
 * `npm run demo` runs to completion (issue #7): the demo agent, the gateway on the embedded store and
 * the simulator's chat, end to end, as a newcomer would run it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const RUN = path.join(__dirname, '..', '..', 'dist', 'tools', 'demo', 'run.js');

describe('npm run demo', () => {
  it('shows a streamed answer with its thinking and a picture, and exits 0', () => {
    if (!existsSync(RUN)) throw new Error(`${RUN} is missing: run npm run build:bench (npm test does)`);
    const result = spawnSync(process.execPath, [RUN], {
      cwd: tmpdir(),
      env: { PATH: process.env['PATH'] ?? '' },
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect(result.stderr).not.toContain('demo failed');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('DEMO');
    expect(result.stdout).toContain('演示智能体');
    expect(result.stdout).toMatch(/image|图片/i);
  }, 120_000);
});
