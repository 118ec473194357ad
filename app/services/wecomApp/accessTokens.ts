/**
 * The self-built app's access_token (/cgi-bin/gettoken, hil.md §3.4 item 1): fetched once, kept until
 * shortly before `expires_in` runs out, and fetched by one caller at a time — callers that arrive while a
 * fetch is under way wait for it (single flight). A token WeCom refused is dropped only if it is still
 * the current one, so many callers refused at once cause one fetch, not one each.
 */
export interface FetchedToken {
  readonly token: string;
  readonly expiresInS: number;
}

/** Renew this long before expiry (at most a tenth of the lifetime, for short-lived tokens). */
const MARGIN_MS = 5 * 60_000;

export class AccessTokens {
  private current: { readonly token: string; readonly until: number } | undefined;
  private inflight: Promise<string> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<FetchedToken>,
    private readonly now: () => number,
  ) {}

  get(): Promise<string> {
    const current = this.current;
    if (current !== undefined && this.now() < current.until) return Promise.resolve(current.token);
    this.inflight ??= this.fetch().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** WeCom said `token` is invalid or expired (40001/40014/42001): the next get() fetches a new one. */
  refused(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async fetch(): Promise<string> {
    const { token, expiresInS } = await this.fetchToken();
    const lifetime = expiresInS * 1000;
    this.current = { token, until: this.now() + lifetime - Math.min(MARGIN_MS, lifetime / 10) };
    return token;
  }
}
