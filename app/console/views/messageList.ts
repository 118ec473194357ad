import type { LoggedMessage } from '../store/consoleQueries';
import { t } from '../texts';
import { statusCell, timeText } from './format';
import { type Html, html } from './html';
import { layout } from './layout';

export interface MessageFilters {
  readonly user?: string;
  readonly chat?: string;
  readonly status?: string;
}

const STATUSES = ['running', 'notice', 'answered', 'partial', 'failed'];

function row(m: LoggedMessage, withText: boolean): Html {
  const text = withText
    ? html`<td>${m.query ?? ''}</td>
        <td>${m.answer ?? ''}</td>`
    : html``;
  return html`<tr>
    <td>${timeText(m.receivedAt)}</td>
    <td>${m.botKey}</td>
    <td>${m.userid}</td>
    <td>${m.chatid === null ? m.chattype : `${m.chattype}:${m.chatid}`}</td>
    <td>${m.msgtype}</td>
    <td>${m.agentId ?? ''}</td>
    <td>${statusCell(m.status)}</td>
    <td>${m.cause ?? ''}</td>
    <td>${m.durationMs ?? ''}</td>
    <td>${m.firstTokenMs ?? ''}</td>
    <td>${m.images ?? ''}</td>
    ${text}
  </tr>`;
}

function searchForm(f: MessageFilters): Html {
  const options = STATUSES.map(
    (s) => html`<option value="${s}" ${s === f.status ? html` selected` : html``}>${s}</option>`,
  );
  return html`<form method="get" action="/console/messages" class="filters" role="search">
    <label for="user">${t('USER')}<input id="user" name="user" value="${f.user ?? ''}" maxlength="200" /></label>
    <label for="chat">${t('CHAT')}<input id="chat" name="chat" value="${f.chat ?? ''}" maxlength="200" /></label>
    <label for="status"
      >${t('STATUS')}<select id="status" name="status">
        <option value="">${t('ALL')}</option>
        ${options}
      </select></label
    >
    <button type="submit">${t('SEARCH')}</button>
  </form>`;
}

export function messageListPage(opts: {
  operator: string;
  filters: MessageFilters;
  rows: readonly LoggedMessage[];
  withText: boolean;
}): Html {
  const textHeads = opts.withText
    ? html`<th scope="col">${t('QUERY')}</th>
        <th scope="col">${t('REPLY')}</th>`
    : html``;
  const hidden = opts.withText ? html`` : html`<p class="muted">${t('TEXT_HIDDEN')}</p>`;
  const rows =
    opts.rows.length === 0
      ? html`<tr>
          <td colspan="${opts.withText ? 13 : 11}">${t('NONE')}</td>
        </tr>`
      : html`${opts.rows.map((m) => row(m, opts.withText))}`;
  const body = html`${searchForm(opts.filters)}${hidden}
    <table>
      <thead>
        <tr>
          <th scope="col">${t('TIME')} (UTC)</th>
          <th scope="col">${t('BOT')}</th>
          <th scope="col">${t('USER')}</th>
          <th scope="col">${t('CHAT')}</th>
          <th scope="col">${t('MSGTYPE')}</th>
          <th scope="col">${t('AGENT')}</th>
          <th scope="col">${t('STATUS')}</th>
          <th scope="col">${t('CAUSE')}</th>
          <th scope="col">${t('DURATION')}</th>
          <th scope="col">${t('FIRST_TOKEN')}</th>
          <th scope="col">${t('IMAGES')}</th>
          ${textHeads}
        </tr>
      </thead>
      <tbody id="message-rows">
        ${rows}
      </tbody>
    </table>`;
  return layout({ page: 'messages', title: t('NAV_MESSAGES'), operator: opts.operator, body });
}
