'use strict';
/**
 * Run by `npm start` before the gateway and by `npm ci` (the `prepare` script): builds dist/ with tsc
 * when it is missing or older than its sources, so that a stale build is never run silently and an
 * up-to-date one starts without paying seconds of tsc. Plain JavaScript: it must run before anything
 * is compiled. The tsconfigs set noEmitOnError: a failed build writes nothing, so dist/ stays older
 * than its sources and the next start builds again instead of running what a broken build left.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..');
/** tsc (re)writes every output of a build, so the entry's mtime is the time of the last build. */
const BUILT_ENTRY = path.join('dist', 'app', 'index.js');

function mtimeOf(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * The newest file or directory under dir, directories included: removing or renaming a source changes
 * its directory's mtime, and dist/ still holds the old output then.
 */
function newestUnder(dir) {
  let newest = { path: dir, mtimeMs: mtimeOf(dir) ?? 0 };
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const candidate = entry.isDirectory() ? newestUnder(full) : { path: full, mtimeMs: mtimeOf(full) ?? 0 };
    if (candidate.mtimeMs > newest.mtimeMs) newest = candidate;
  }
  return newest;
}

/** The build's inputs: app/ and the tsconfig*.json files next to it. */
function newestSource(root) {
  let newest = newestUnder(path.join(root, 'app'));
  for (const name of fs.readdirSync(root)) {
    if (!/^tsconfig.*\.json$/.test(name)) continue;
    const mtimeMs = mtimeOf(path.join(root, name)) ?? 0;
    if (mtimeMs > newest.mtimeMs) newest = { path: path.join(root, name), mtimeMs };
  }
  return newest;
}

/** Why dist/ under root must be built, or undefined when it is newer than every source. */
function staleReason(root) {
  const built = mtimeOf(path.join(root, BUILT_ENTRY));
  if (built === undefined) return `${BUILT_ENTRY} is missing`;
  const newest = newestSource(root);
  if (newest.mtimeMs > built) return `${path.relative(root, newest.path)} changed after the last build`;
  return undefined;
}

function build(root) {
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    process.stderr.write('TypeScript is not installed (a production install?): run npm ci to build dist/\n');
    return 1;
  }
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

function main() {
  const reason = staleReason(ROOT);
  if (reason === undefined) return 0;
  process.stderr.write(`building dist/ (${reason})\n`);
  const status = build(ROOT);
  if (status !== 0) process.stderr.write('the build failed: dist/ stays out of date, and npm start does not run it\n');
  return status;
}

module.exports = { staleReason };

if (require.main === module) process.exitCode = main();
