/** The console's stylesheet, served as /console/assets/console.css (the CSP forbids inline styles). */
export const CONSOLE_CSS = `
:root { color-scheme: light; font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; }
body { margin: 0; color: #1b1b1b; background: #f6f7f9; }
header { display: flex; justify-content: space-between; align-items: center; padding: 0.5rem 1rem; background: #1f3a5f; }
header ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; }
header a, header span { color: #fff; }
header a[aria-current="page"] { font-weight: bold; text-decoration: underline; }
main { padding: 1rem; max-width: 1400px; }
h1 { font-size: 1.4rem; margin-top: 0; }
h2 { font-size: 1.1rem; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 0.9rem; }
th, td { border: 1px solid #d0d5dc; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #e9edf2; }
pre { background: #fff; border: 1px solid #d0d5dc; padding: 0.5rem; white-space: pre-wrap; word-break: break-word; }
form.filters, form.answer { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; margin-bottom: 1rem; }
form.filters label, form.answer label { display: flex; flex-direction: column; font-size: 0.85rem; }
form.logout { margin: 0; }
.actions { display: flex; gap: 0.5rem; align-items: end; margin: 0.75rem 0; flex-wrap: wrap; }
.actions label { display: flex; flex-direction: column; font-size: 0.85rem; }
button { padding: 0.3rem 0.9rem; border: 1px solid #1f3a5f; background: #1f3a5f; color: #fff; border-radius: 3px; cursor: pointer; }
button.secondary { background: #fff; color: #1f3a5f; }
button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #e07b00; outline-offset: 1px; }
.notice { padding: 0.5rem 0.75rem; border-left: 4px solid #1f7a3a; background: #e8f5ec; }
.error { padding: 0.5rem 0.75rem; border-left: 4px solid #b00020; background: #fdecee; }
.status-pending, .status-inprogress { color: #8a5300; font-weight: bold; }
.status-approved, .status-completed, .status-answered { color: #1f7a3a; }
.status-rejected, .status-failed, .status-error { color: #b00020; }
.login { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 1.5rem; border: 1px solid #d0d5dc; }
.login label { display: flex; flex-direction: column; margin-bottom: 0.75rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dd { margin: 0; }
.muted { color: #555; font-size: 0.85rem; }
`;
