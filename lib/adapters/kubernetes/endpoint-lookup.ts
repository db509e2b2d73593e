import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { literalAddress, refusedAddress, type EndpointPolicy } from '../../core/cluster/endpoint-policy.ts';
import { ClusterError } from '../../engine/ports/cluster-error.ts';

/** Not retryable: the policy, not the network, said no, and it will say no again. */
const refusal = (reason: string) => new ClusterError(`refused by the cluster endpoint policy: ${reason}`, { retryable: false });

/**
 * A socket `lookup` that resolves the host once, checks every address it resolves to and hands the socket the first
 * one, so the connection goes to the address that was checked (a second resolution could answer differently). Any
 * refused address refuses the host: a name that resolves to metadata among public addresses is not an accident.
 */
export function checkedLookup(policy: EndpointPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.map((a) => refusedAddress(policy, hostname, a.address)).find((reason) => reason !== undefined);
      if (refused !== undefined) return callback(refusal(refused), '', 0);
      const [first] = addresses;
      if (!first) return callback(Object.assign(new Error(`${hostname} resolves to no address`), { code: 'ENOTFOUND' }), '', 0);
      // Node asks for all addresses when it races IPv4 and IPv6 (autoSelectFamily); offer only the checked first one.
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [first]);
      callback(null, first.address, first.family);
    });
  };
}

/** Sockets skip `lookup` for IP literals, so an endpoint that is one is checked before any connection is made. */
export function checkLiteralEndpoint(policy: EndpointPolicy, endpoint: string): void {
  const ip = literalAddress(endpoint);
  const refused = ip === undefined ? undefined : refusedAddress(policy, ip, ip);
  if (refused !== undefined) throw refusal(refused);
}
