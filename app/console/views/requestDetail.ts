import { questionOf } from '../../hil/services/hilRendering';
import type { HilReply, HilRequest } from '../../hil/store/hilRequests';
import { t } from '../texts';
import { jsonBlock, statusCell, timeText } from './format';
import { type Html, html } from './html';
import { layout } from './layout';
import { dataTable } from './table';

function timeline(r: HilRequest): Html {
  const rows: Array<[string, number | null]> = [
    [t('T_CREATED'), r.createdAt],
    [t('T_UPDATED'), r.updatedAt],
    [t('T_ANSWERED'), r.respondedAt],
    [t('T_EXPIRES'), r.expiresAt],
  ];
  return html`<h2>${t('TIMELINE')}</h2>
    <dl>
      ${rows.map(
        ([label, at]) =>
          html`<dt>${label}</dt>
            <dd>${at === null ? '—' : `${timeText(at)} UTC`}</dd>`,
      )}
    </dl>`;
}

function replies(list: readonly HilReply[]): Html {
  if (list.length === 0)
    return html`<h2>${t('REPLIES')}</h2>
      <p>${t('NONE')}</p>`;
  const rows = list.map(
    (r) =>
      html`<tr>
        <td>${timeText(r.at)}</td>
        <td>${r.userid}</td>
        <td>${r.text}</td>
      </tr>`,
  );
  return html`<h2>${t('REPLIES')}</h2>
    ${dataTable([t('TIME'), t('USER'), t('MESSAGE')], rows)}`;
}

/** The answer form the request's loop type takes (the admin API's approval / information / conversation). */
function answerForm(r: HilRequest): Html {
  if (r.status !== 'pending' && r.status !== 'inprogress') return html`<p class="muted">${t('CLOSED')}</p>`;
  const action = `/console/requests/${r.id}/answer`;
  switch (r.loopType) {
    case 'approval':
      return html`<form method="post" action="${action}" class="answer">
        <label for="reason"
          >${t('REASON')}<textarea id="reason" name="text" rows="2" cols="40" maxlength="1000"></textarea>
        </label>
        <button type="submit" name="action" value="approved">${t('APPROVE')}</button>
        <button type="submit" name="action" value="rejected" class="secondary">${t('REJECT')}</button>
      </form>`;
    case 'information':
      return html`<form method="post" action="${action}" class="answer">
        <label for="info"
          >${t('INFORMATION')}<textarea id="info" name="text" rows="3" cols="50" required maxlength="10000"></textarea>
        </label>
        <button type="submit" name="action" value="information">${t('SEND')}</button>
      </form>`;
    case 'conversation':
      return html`<form method="post" action="${action}" class="answer">
        <label for="turn"
          >${t('MESSAGE')}<textarea id="turn" name="text" rows="3" cols="50" required maxlength="10000"></textarea>
        </label>
        <label for="complete"
          ><span>${t('COMPLETE')}</span><input id="complete" type="checkbox" name="complete" value="1"
        /></label>
        <button type="submit" name="action" value="conversation">${t('SEND')}</button>
      </form>`;
  }
}

export function requestDetailPage(opts: {
  operator: string;
  request: HilRequest;
  replies: readonly HilReply[];
  notice?: string;
  error?: string;
}): Html {
  const r = opts.request;
  const notice = opts.notice === undefined ? html`` : html`<p class="notice" role="status">${opts.notice}</p>`;
  const error = opts.error === undefined ? html`` : html`<p class="error" role="alert">${opts.error}</p>`;
  const body = html`<p><a href="/console/requests">${t('BACK')}</a></p>
    ${notice}${error}
    <dl>
      <dt>${t('QUESTION')}</dt>
      <dd>${questionOf(r)}</dd>
      <dt>${t('TYPE')}</dt>
      <dd>${r.loopType}</dd>
      <dt>${t('STATUS')}</dt>
      <dd id="request-status">${statusCell(r.status)}</dd>
      <dt>${t('TASK')}</dt>
      <dd>${r.taskId}</dd>
      <dt>${t('PLATFORM')}</dt>
      <dd>${r.platform}</dd>
      <dt>${t('CHAT')}</dt>
      <dd>${r.target.botKey} / ${r.target.chattype}:${r.target.chatid}</dd>
      <dt>${t('DELIVERY')}</dt>
      <dd>${r.delivery === 'delivered' ? t('DELIVERED') : t('QUEUED')}</dd>
      <dt>${t('ANSWERED_BY')}</dt>
      <dd>${r.respondedBy ?? '—'}</dd>
    </dl>
    <h2>${t('ANSWER')}</h2>
    ${answerForm(r)} ${timeline(r)}
    <h2>${t('RESPONSE')}</h2>
    ${jsonBlock(r.response)} ${replies(opts.replies)}
    <h2>${t('CONTEXT')}</h2>
    ${jsonBlock(r.context)}
    <h2>${t('METADATA')}</h2>
    ${jsonBlock(r.metadata)}`;
  return layout({ page: 'requests', title: `${t('DETAIL')} #${r.shortId}`, operator: opts.operator, body });
}
