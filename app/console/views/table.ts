import { Html, escapeHtml, html } from './html';

/** A headed table of rows: every list of the console is one (labelled columns for screen readers). */
export function dataTable(headers: readonly string[], rows: readonly Html[], id?: string): Html {
  // Built outside the tag: Prettier formats html`` templates as HTML and would close a lone <table>.
  const open = new Html(id === undefined ? '<table>' : `<table id="${escapeHtml(id)}">`);
  return html`${open}
    <thead>
      <tr>
        ${headers.map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}
