import { Html, html } from '../../../app/console/views/html';

describe('the console html tag', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const evil = `<img src=x onerror="alert('1')">&`;
    expect(html`<p title="${evil}">${evil}</p>`.text).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;</p>',
    );
  });

  it('keeps markup made by the tag, joins arrays, drops null, undefined and false', () => {
    const items = ['a<', 'b'].map((x) => html`<li>${x}</li>`);
    // prettier-ignore
    const out = html`<ul>${items}</ul>${null}${undefined}${false}${0}`;
    expect(out.text).toBe('<ul><li>a&lt;</li><li>b</li></ul>0');
  });

  it('does not trust a plain string that looks like markup, only Html', () => {
    expect(html`${'<b>x</b>'}`.text).toBe('&lt;b&gt;x&lt;/b&gt;');
    expect(html`${new Html('<b>x</b>')}`.text).toBe('<b>x</b>');
  });
});
