import { t } from '../texts';
import { type Html, html } from './html';

export type Page = 'requests' | 'messages' | 'health' | 'login';

const NAV: ReadonlyArray<readonly [Exclude<Page, 'login'>, string]> = [
  ['requests', '/console/requests'],
  ['messages', '/console/messages'],
  ['health', '/console/health'],
];

const NAV_TEXT = { requests: t('NAV_REQUESTS'), messages: t('NAV_MESSAGES'), health: t('NAV_HEALTH') } as const;

/** The operator's name and the navigation; absent on the login page. */
function header(page: Page, operator: string | undefined): Html {
  if (operator === undefined) return html``;
  const links = NAV.map(
    ([name, href]) =>
      html`<li><a href="${href}" ${name === page ? html` aria-current="page"` : html``}>${NAV_TEXT[name]}</a></li>`,
  );
  return html`<header>
    <nav aria-label="${t('TITLE')}">
      <ul>
        ${links}
      </ul>
    </nav>
    <form method="post" action="/console/logout" class="logout">
      <span>${operator}</span> <button type="submit">${t('LOGOUT')}</button>
    </form>
  </header>`;
}

/**
 * A whole page. Scripts and styles are files under /console/assets (the CSP allows no inline script or
 * style), so every attribute here is markup, never behaviour.
 */
export function layout(opts: { page: Page; title: string; operator?: string; body: Html; script?: string }): Html {
  const script =
    opts.script === undefined ? html`` : html`<script src="/console/assets/${opts.script}" defer></script>`;
  return html`<!doctype html>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${opts.title} · ${t('TITLE')}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        ${script}
      </head>
      <body>
        ${header(opts.page, opts.operator)}
        <main id="main">
          <h1>${opts.title}</h1>
          ${opts.body}
        </main>
      </body>
    </html>`;
}
