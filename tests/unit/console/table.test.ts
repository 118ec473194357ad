import { html } from '../../../app/console/views/html';
import { dataTable } from '../../../app/console/views/table';

describe('dataTable', () => {
  it('is one table: labelled column headers, the rows inside its body, the id escaped', () => {
    const text = dataTable(
      ['机器人', 'a<b'],
      [
        html`<tr>
          <td>x</td>
        </tr>`,
      ],
      'bots"x',
    ).text;
    expect(text.match(/<table/g)).toHaveLength(1);
    expect(text.match(/<\/table>/g)).toHaveLength(1);
    expect(text.startsWith('<table id="bots&quot;x">')).toBe(true);
    expect(text).toContain('<th scope="col">a&lt;b</th>');
    expect(text.indexOf('<td>x</td>')).toBeGreaterThan(text.indexOf('<tbody>'));
    expect(text.indexOf('<td>x</td>')).toBeLessThan(text.indexOf('</tbody>'));
  });

  it('has no id attribute when none is given', () => {
    expect(dataTable(['a'], []).text.startsWith('<table>')).toBe(true);
  });
});
