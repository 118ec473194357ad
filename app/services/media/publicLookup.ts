import * as dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from './addressPolicy';

/** Name resolution for hosts the gateway does not trust; tests replace it to simulate DNS rebinding. */
export type Resolver = (hostname: string) => Promise<readonly dns.LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/**
 * A `lookup` for `http.request` that resolves once, refuses the host (with `refuse()`) if any of its
 * addresses is not public, and hands exactly those vetted addresses to the socket. Checking and
 * connecting on the same answer is what stops DNS rebinding: a second, different answer is never
 * asked for. Honours `all`, which Node requests when it races address families (autoSelectFamily).
 */
export function publicOnlyLookup(resolve: Resolver, refuse: () => Error): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (resolved) => {
        if (resolved.length === 0 || resolved.some((entry) => !isPublicAddress(entry.address))) {
          callback(refuse(), '', 0);
          return;
        }
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const usable = resolved.filter((entry) => !family || entry.family === family);
        const first = usable[0];
        if (first === undefined) callback(noAddress(hostname), '', 0);
        else if (options.all)
          callback(
            null,
            usable.map((entry) => ({ address: entry.address, family: entry.family })),
          );
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

function noAddress(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`no address of the requested family for ${hostname}`), { code: 'ENOTFOUND' });
}
