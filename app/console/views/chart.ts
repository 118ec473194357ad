import type { MinuteCount } from '../store/consoleQueries';
import { t } from '../texts';
import { type Html, html } from './html';

const WIDTH = 600;
const HEIGHT = 120;
const MINUTES = 60;

/**
 * Turns (grey) and failures (red) per minute over the last hour, as inline SVG drawn here: no chart
 * library, no script. Presentation attributes only (the CSP allows no inline style).
 */
export function minuteChart(counts: readonly MinuteCount[], now: number): Html {
  const start = Math.floor(now / 60_000) * 60_000 - (MINUTES - 1) * 60_000;
  const byMinute = new Map(counts.map((c) => [c.minute, c]));
  const slots = Array.from({ length: MINUTES }, (_, i) => byMinute.get(start + i * 60_000));
  const max = Math.max(1, ...slots.map((s) => s?.turns ?? 0));
  const barWidth = WIDTH / MINUTES;
  const bar = (i: number, value: number, fill: string): Html => {
    const h = Math.round((value / max) * (HEIGHT - 10));
    return value === 0
      ? html``
      : html`<rect
          x="${(i * barWidth).toFixed(1)}"
          y="${HEIGHT - h}"
          width="${(barWidth - 1).toFixed(1)}"
          height="${h}"
          fill="${fill}"
        ></rect>`;
  };
  const turns = slots.reduce((sum, s) => sum + (s?.turns ?? 0), 0);
  const failed = slots.reduce((sum, s) => sum + (s?.failures ?? 0), 0);
  const label = t('CHART_LABEL', { turns, failed });
  return html`<figure>
    <svg
      role="img"
      aria-label="${label}"
      viewBox="0 0 ${WIDTH} ${HEIGHT}"
      width="${WIDTH}"
      height="${HEIGHT}"
      xmlns="http://www.w3.org/2000/svg"
    >
      <title>${label}</title>
      <rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff" stroke="#d0d5dc"></rect>
      ${slots.map((s, i) => bar(i, s?.turns ?? 0, '#8a9bb0'))}
      ${slots.map((s, i) => bar(i, s?.failures ?? 0, '#b00020'))}
    </svg>
    <figcaption>${label}（${t('TURNS')}：灰色，${t('FAILURES')}：红色；最大 ${max}/分钟）</figcaption>
  </figure>`;
}
