import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { staleReason } from '../../../tools/start/ensureBuilt';

/** A checkout in miniature: app/ with one source, the tsconfigs, and dist/ once built. */
describe('staleReason (npm start and prepare build only a missing or outdated dist/)', () => {
  let root: string;
  const at = (relative: string, secondsAgo: number): void => {
    const when = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(path.join(root, relative), when, when);
  };
  const file = (relative: string, secondsAgo: number): void => {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), '');
    at(relative, secondsAgo);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'ensure-built-'));
    file('app/store/openDatabase.ts', 100);
    file('app/index.ts', 100);
    at('app/store', 100);
    at('app', 100);
    file('tsconfig.json', 100);
    file('tsconfig.build.json', 100);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds when there is no build yet', () => {
    expect(staleReason(root)).toBe(`${path.join('dist', 'app', 'index.js')} is missing`);
  });

  it('starts a build that is newer than every source', () => {
    file('dist/app/index.js', 10);
    expect(staleReason(root)).toBeUndefined();
  });

  it('rebuilds when a source file, a tsconfig, or a directory (a file removed) is newer than the build', () => {
    file('dist/app/index.js', 50);
    at('app/store/openDatabase.ts', 5);
    expect(staleReason(root)).toBe(`${path.join('app', 'store', 'openDatabase.ts')} changed after the last build`);
    at('app/store/openDatabase.ts', 100);
    at('tsconfig.build.json', 5);
    expect(staleReason(root)).toBe('tsconfig.build.json changed after the last build');
    at('tsconfig.build.json', 100);
    unlinkSync(path.join(root, 'app', 'index.ts'));
    expect(staleReason(root)).toBe('app changed after the last build');
  });
});
