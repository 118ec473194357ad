import { type Html, html } from './html';

/** ms since epoch as UTC text to the second (the console says UTC once, in its pages' footers). */
export function timeText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** A status word with its class, so the tables can colour it (and still say it in text). */
export function statusCell(status: string): Html {
  return html`<span class="status-${status.replace(/[^a-z_]/g, '')}">${status}</span>`;
}

/** JSON shown to a person: indented, escaped by the html tag. */
export function jsonBlock(value: unknown): Html {
  return html`<pre>${JSON.stringify(value ?? null, null, 2)}</pre>`;
}

/** A select whose options are the values given, plus an "all" option with the empty value. */
export function selectField(opts: {
  id: string;
  label: string;
  all: string;
  values: ReadonlyArray<readonly [string, string]>;
  chosen: string | undefined;
}): Html {
  const options = opts.values.map(
    ([value, text]) =>
      html`<option value="${value}" ${value === opts.chosen ? html` selected` : html``}>${text}</option>`,
  );
  return html`<label for="${opts.id}"
    >${opts.label}
    <select id="${opts.id}" name="${opts.id}">
      <option value="">${opts.all}</option>
      ${options}
    </select>
  </label>`;
}
