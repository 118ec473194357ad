import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allowPassage, clusterLayout } from '../../../../app/store/embedded/clusterLayout';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Where the embedded cluster goes and as whom it runs (PostgreSQL refuses root). */
describe('clusterLayout', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-layout-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('keeps the cluster in DATA_DIR/postgres, as another user when run as root', () => {
    fs.chmodSync(tmp, 0o755);
    const layout = clusterLayout(path.join(tmp, 'data'));
    expect(layout.clusterDir).toBe(path.join(tmp, 'data', 'postgres'));
    expect(layout.socketDir).toBe(layout.clusterDir);
    expect(layout.relocated).toBeUndefined();
    if (isRoot) expect(layout.runAs?.uid).not.toBe(0);
    else expect(layout.runAs).toBeUndefined();
  });

  it('as root, moves a cluster whose DATA_DIR the server user cannot reach, and says why', () => {
    // A parent like /root (0700): root enters it, the server's user would not.
    fs.chmodSync(tmp, 0o700);
    const layout = clusterLayout(path.join(tmp, 'inner', 'data'));
    if (!isRoot) {
      expect(layout.relocated).toBeUndefined();
      return;
    }
    expect(layout.clusterDir.startsWith('/var/lib/wecom-dify-gateway/')).toBe(true);
    expect(layout.relocated).toContain('cannot be entered by the user');
  });

  it('as root, lets the server user pass through a DATA_DIR made by mkdtemp (0700), without listing it', () => {
    const dataDir = fs.mkdtempSync(path.join(tmp, 'data-'));
    fs.chmodSync(tmp, 0o755);
    allowPassage(dataDir);
    expect(fs.statSync(dataDir).mode & 0o007).toBe(isRoot ? 0o001 : 0);
  });
});
