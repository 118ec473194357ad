import type { HilStats } from '../../hil/store/hilRequests';
import type { AgentError, MinuteCount } from '../store/consoleQueries';
import { t } from '../texts';
import { minuteChart } from './chart';
import { statusCell, timeText } from './format';
import { type Html, html } from './html';
import { layout } from './layout';
import { dataTable } from './table';

export interface BotState {
  readonly key: string;
  readonly channel: 'callback' | 'websocket';
  /** The websocket link's state (connected, standby, auth_failed…); `callback` bots have none. */
  readonly state: string | undefined;
}

export interface HealthView {
  readonly operator: string;
  readonly store: boolean;
  readonly bots: readonly BotState[];
  readonly agents: ReadonlyArray<{ readonly id: string; readonly error: AgentError | undefined }>;
  readonly runningTurns: number;
  readonly perMinute: readonly MinuteCount[];
  readonly stats: HilStats;
  readonly now: number;
}

function botTable(bots: readonly BotState[]): Html {
  const rows = bots.map(
    (b) =>
      html`<tr>
        <td>${b.key}</td>
        <td>${b.channel === 'callback' ? t('CALLBACK') : t('WEBSOCKET')}</td>
        <td>${b.state === undefined ? '—' : statusCell(b.state)}</td>
      </tr>`,
  );
  return html`<h2>${t('BOTS')}</h2>
    ${dataTable([t('BOT'), t('CHANNEL'), t('STATE')], rows, 'bots')}`;
}

function agentTable(agents: HealthView['agents']): Html {
  const rows = agents.map(
    (a) =>
      html`<tr>
        <td>${a.id}</td>
        <td>${a.error === undefined ? t('NO_ERROR') : `${a.error.cause} (${timeText(a.error.at)} UTC)`}</td>
      </tr>`,
  );
  return html`<h2>${t('AGENTS')}</h2>
    ${dataTable([t('AGENT'), t('LAST_ERROR')], rows, 'agents')}`;
}

function statsTable(stats: HilStats): Html {
  const cells = (counts: Readonly<Record<string, number>>) =>
    Object.entries(counts).map(
      ([k, n]) =>
        html`<tr>
          <th scope="row">${k}</th>
          <td>${n}</td>
        </tr>`,
    );
  return html`<h2>${t('HIL_STATS')}</h2>
    <table id="hil-stats">
      <tbody>
        ${cells(stats.byStatus)}${cells(stats.byType)}
        <tr>
          <th scope="row">${t('TOTAL')}</th>
          <td>${stats.total}</td>
        </tr>
      </tbody>
    </table>`;
}

export function healthPage(v: HealthView): Html {
  const body = html`<p>
      ${t('STORE')}：${v.store ? t('OK') : t('DOWN')} · ${t('RUNNING')}：<strong id="running">${v.runningTurns}</strong>
    </p>
    ${botTable(v.bots)} ${agentTable(v.agents)}
    <h2>${t('CHART')}</h2>
    ${minuteChart(v.perMinute, v.now)} ${statsTable(v.stats)}`;
  return layout({ page: 'health', title: t('NAV_HEALTH'), operator: v.operator, body });
}
