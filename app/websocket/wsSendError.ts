/** A reply that did not get through: the link was down, or WeCom answered with a non-zero errcode. */
export class WsSendError extends Error {
  constructor(
    readonly kind: 'link' | 'rejected',
    message: string,
    readonly errcode?: number,
  ) {
    super(message);
    this.name = 'WsSendError';
  }
}

/** The SDK rejects with the ack frame itself when WeCom refuses, and with an Error otherwise. */
export function toSendError(err: unknown): WsSendError {
  if (typeof err === 'object' && err !== null && typeof (err as { errcode?: unknown }).errcode === 'number') {
    const errcode = (err as { errcode: number }).errcode;
    return new WsSendError('rejected', `WeCom refused the frame (errcode ${errcode})`, errcode);
  }
  return new WsSendError('link', err instanceof Error ? err.message : 'send failed');
}
