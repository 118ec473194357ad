import { t } from '../texts';
import { type Html, html } from './html';
import { layout } from './layout';

/** The login form; `failed` says the last try was refused, without saying which field was wrong. */
export function loginPage(opts: { failed: boolean; username?: string }): Html {
  const error = opts.failed ? html`<p class="error" role="alert">${t('LOGIN_FAILED')}</p>` : html``;
  const body = html`<form method="post" action="/console/login" class="login">
    ${error}
    <label for="username"
      >${t('LOGIN_USER')}
      <input
        id="username"
        name="username"
        type="email"
        autocomplete="username"
        required
        value="${opts.username ?? ''}"
      />
    </label>
    <label for="password"
      >${t('LOGIN_PASSWORD')}
      <input id="password" name="password" type="password" autocomplete="current-password" required />
    </label>
    <button type="submit">${t('LOGIN_SUBMIT')}</button>
  </form>`;
  return layout({ page: 'login', title: t('LOGIN_TITLE'), body });
}
