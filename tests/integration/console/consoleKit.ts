/**
 * What the console's browser tests share: one headless Debian Chromium per suite (playwright-core, no
 * browser download), logging in through the form, axe-core run inside the page, screenshots.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { OPERATOR } from '../hil/hilKit';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts');

/** The flags this machine needs (no network beyond 127.0.0.1: nothing in the background may call out). */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * One browser per suite. Playwright gives each launch a fresh, empty `--user-data-dir` itself (seen:
 * /tmp/playwright_chromiumdev_profile-*, removed at close) and refuses one in `args`.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `The console's browser tests need Debian's Chromium at ${CHROMIUM}: apt-get install chromium fonts-wqy-microhei (.ci/run installs them)`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, chromiumSandbox: false });
}

export async function logIn(page: Page, base: string, password = OPERATOR.password): Promise<number> {
  await page.goto(`${base}/console`);
  await page.getByLabel('邮箱').fill(OPERATOR.email);
  await page.getByLabel('密码').fill(password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/console/login') && r.request().method() === 'POST'),
    page.getByRole('button', { name: '登录' }).click(),
  ]);
  await page.waitForLoadState();
  return response.status();
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: Array<{ target: unknown }>;
}

/**
 * axe-core's violations of serious or critical impact on the page. It is evaluated through the DevTools
 * protocol, which the page's CSP (script-src 'self') does not govern, so the CSP stays as served.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(`${AXE}\n;undefined`);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[]; passes: unknown[] }> } }
    ).axe;
    const result = await axe.run();
    // A run that checked nothing would pass anything: the pages have labels, buttons and tables to check.
    if (result.passes.length === 0) throw new Error('axe-core checked nothing');
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
