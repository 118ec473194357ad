import { questionOf } from '../../hil/services/hilRendering';
import { HIL_STATUSES, LOOP_TYPES, type HilRequest } from '../../hil/store/hilRequests';
import { t } from '../texts';
import { selectField, statusCell, timeText } from './format';
import { type Html, html } from './html';
import { layout } from './layout';

export interface RequestFilters {
  readonly type?: string;
  readonly status?: string;
  readonly platform?: string;
  readonly bot?: string;
  readonly age?: string;
}

export const AGES: ReadonlyArray<readonly [string, string, number]> = [
  ['1h', t('AGE_HOUR'), 3_600_000],
  ['24h', t('AGE_DAY'), 86_400_000],
  ['7d', t('AGE_WEEK'), 7 * 86_400_000],
];

const QUESTION_CHARS = 80;

function short(text: string): string {
  return text.length > QUESTION_CHARS ? `${text.slice(0, QUESTION_CHARS)}…` : text;
}

/** One row: the checkbox (open requests only) is named for a screen reader by the request's short id. */
function row(r: HilRequest): Html {
  const open = r.status === 'pending' || r.status === 'inprogress';
  const box = open
    ? html`<input type="checkbox" name="ids" value="${r.id}" aria-label="${t('SELECT_ROW', { id: r.shortId })}" />`
    : html``;
  return html`<tr data-id="${r.id}" data-status="${r.status}">
    <td>${box}</td>
    <td><a href="/console/requests/${r.id}">#${r.shortId}</a></td>
    <td>${r.loopType}</td>
    <td>${statusCell(r.status)}</td>
    <td>${short(questionOf(r))}</td>
    <td>${r.taskId}</td>
    <td>${r.platform}</td>
    <td>${r.target.botKey}</td>
    <td>${r.target.chattype}:${r.target.chatid}</td>
    <td>${timeText(r.createdAt)}</td>
  </tr>`;
}

/** The table body alone: what the live endpoint sends when the list changed. */
export function requestRows(rows: readonly HilRequest[]): Html {
  if (rows.length === 0)
    return html`<tr>
      <td colspan="10">${t('NONE')}</td>
    </tr>`;
  return html`${rows.map(row)}`;
}

/** What changes when any listed request changes: the live endpoint's cheap comparison. */
export function stampOf(rows: readonly HilRequest[]): string {
  return rows.map((r) => `${r.id}:${r.status}:${r.updatedAt}`).join('|');
}

function filterForm(f: RequestFilters, bots: readonly string[], platforms: readonly string[]): Html {
  const pairs = (values: readonly string[]) => values.map((v) => [v, v] as const);
  return html`<form method="get" action="/console/requests" class="filters" role="search">
    ${selectField({ id: 'type', label: t('TYPE'), all: t('ALL'), values: pairs(LOOP_TYPES), chosen: f.type })}
    ${selectField({ id: 'status', label: t('STATUS'), all: t('ALL'), values: pairs(HIL_STATUSES), chosen: f.status })}
    ${selectField({ id: 'platform', label: t('PLATFORM'), all: t('ALL'), values: pairs(platforms), chosen: f.platform })}
    ${selectField({ id: 'bot', label: t('BOT'), all: t('ALL'), values: pairs(bots), chosen: f.bot })}
    ${selectField({ id: 'age', label: t('AGE'), all: t('ALL'), values: AGES.map(([k, text]) => [k, text] as const), chosen: f.age })}
    <button type="submit">${t('FILTER')}</button>
  </form>`;
}

export function requestListPage(opts: {
  operator: string;
  filters: RequestFilters;
  bots: readonly string[];
  platforms: readonly string[];
  rows: readonly HilRequest[];
  count: number;
  notice?: string;
}): Html {
  const notice = opts.notice === undefined ? html`` : html`<p class="notice" role="status">${opts.notice}</p>`;
  const body = html`${filterForm(opts.filters, opts.bots, opts.platforms)} ${notice}
    <form method="post" action="/console/requests/batch">
      <div class="actions">
        <label for="batch-reason">${t('BATCH_REASON')}<input id="batch-reason" name="reason" maxlength="1000" /></label>
        <button type="submit" name="action" value="approved">${t('BATCH_APPROVE')}</button>
        <button type="submit" name="action" value="rejected" class="secondary">${t('BATCH_REJECT')}</button>
      </div>
      <table>
        <caption class="muted">
          ${t('LIVE')} · ${t('TOTAL')} ${opts.count}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('SELECT')}</th>
            <th scope="col">#</th>
            <th scope="col">${t('TYPE')}</th>
            <th scope="col">${t('STATUS')}</th>
            <th scope="col">${t('QUESTION')}</th>
            <th scope="col">${t('TASK')}</th>
            <th scope="col">${t('PLATFORM')}</th>
            <th scope="col">${t('BOT')}</th>
            <th scope="col">${t('CHAT')}</th>
            <th scope="col">${t('CREATED')} (UTC)</th>
          </tr>
        </thead>
        <tbody id="request-rows" data-stamp="${stampOf(opts.rows)}">
          ${requestRows(opts.rows)}
        </tbody>
      </table>
    </form>`;
  return layout({ page: 'requests', title: t('NAV_REQUESTS'), operator: opts.operator, body, script: 'requests.js' });
}
