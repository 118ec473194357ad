import { type HilRequest, type HilRequests, OPEN_STATUSES } from '../store/hilRequests';

/**
 * The request as a client should see it: one still open past its deadline is expired first, so a
 * status read never says "pending" for a request the sweep (every HIL_EXPIRY_SWEEP_SECONDS) has not
 * reached yet (GoHumanLoop's /status, hil-mcp's poll).
 */
export async function expiredIfOverdue(
  requests: Pick<HilRequests, 'expireDue' | 'byId'>,
  request: HilRequest,
  now: number,
): Promise<HilRequest> {
  if (!OPEN_STATUSES.includes(request.status) || request.expiresAt > now) return request;
  await requests.expireDue(now);
  return (await requests.byId(request.id)) ?? request;
}
