import { isIP } from 'node:net';

/**
 * Where Flotilla may open connections to member clusters. Joining posts an arbitrary `server` URL, and the API and the
 * applier then call it with their own network position, so the endpoint is an egress decision, not just input.
 */
export interface EndpointPolicy {
  /** 127.0.0.0/8, ::1, 0.0.0.0, :: and their IPv4-mapped forms: true in local mode (kind clusters), false on AWS. */
  allowLoopback: boolean;
  /** Empty: any address that is not refused. Otherwise the host or every resolved address must match an entry. */
  allow: AllowEntry[];
}

export type AllowEntry = { kind: 'cidr'; text: string; bytes: number[]; prefix: number } | { kind: 'host'; text: string; host: string; subdomains: boolean };

export type AddressClass = 'metadata' | 'link-local' | 'loopback' | 'private' | 'public';

export const defaultEndpointPolicy: EndpointPolicy = { allowLoopback: false, allow: [] };

/**
 * For adapters used without configuration (tests, the benchmark against local kind clusters). The functions always
 * pass the configured policy; metadata and link-local stay refused here too.
 */
export const localEndpointPolicy: EndpointPolicy = { allowLoopback: true, allow: [] };

/** IPv4 as 4 bytes, IPv6 as 16; undefined when `text` is no IP literal. Brackets and a zone (`%eth0`) are dropped. */
export function addressBytes(text: string): number[] | undefined {
  const ip = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 4) return ip.split('.').map(Number);
  if (family !== 6) return undefined;
  // An embedded IPv4 tail (::ffff:127.0.0.1) becomes its two 16-bit groups.
  const head = ip.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_all, a: string, b: string, c: string, d: string) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const [left = '', right] = head.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const l = groups(left);
  const r = right === undefined ? [] : groups(right);
  const words = [...l, ...Array<number>(8 - l.length - r.length).fill(0), ...r];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/** ::ffff:a.b.c.d (mapped) and ::a.b.c.d (the deprecated compatible form) reach the IPv4 address: judge that. */
function unmapped(bytes: number[]): number[] {
  if (bytes.length !== 16 || bytes.slice(0, 10).some((b) => b !== 0)) return bytes;
  const marker = (bytes[10]! << 8) | bytes[11]!;
  if (marker === 0xffff) return bytes.slice(12);
  const rest = bytes.slice(12);
  // ::, ::1 are IPv6's own unspecified and loopback addresses, not IPv4-compatible ones.
  if (marker === 0 && rest.slice(0, 3).some((b) => b !== 0)) return rest;
  return bytes;
}

function inPrefix(bytes: number[], network: number[], prefix: number): boolean {
  if (bytes.length !== network.length) return false;
  for (let bit = 0; bit < prefix; bit++) {
    const mask = 0x80 >> bit % 8;
    if ((bytes[bit >> 3]! & mask) !== (network[bit >> 3]! & mask)) return false;
  }
  return true;
}

const ranges: [AddressClass, string, number][] = [
  ['metadata', '169.254.169.254', 32],
  // Alibaba Cloud's metadata service sits outside link-local (Flotilla's clusters include Beijing regions).
  ['metadata', '100.100.100.200', 32],
  ['metadata', 'fd00:ec2::254', 128],
  ['link-local', '169.254.0.0', 16],
  ['link-local', 'fe80::', 10],
  ['loopback', '127.0.0.0', 8],
  // 0.0.0.0 and :: connect to the local host on Linux.
  ['loopback', '0.0.0.0', 8],
  ['loopback', '::1', 128],
  ['loopback', '::', 128],
  ['private', '10.0.0.0', 8],
  ['private', '172.16.0.0', 12],
  ['private', '192.168.0.0', 16],
  ['private', '100.64.0.0', 10],
  ['private', 'fc00::', 7],
];
const parsedRanges = ranges.map(([kind, ip, prefix]) => ({ kind, bytes: addressBytes(ip)!, prefix }));

/** What kind of address an IP literal is, IPv4-mapped forms judged as the IPv4 address they reach. */
export function classifyAddress(ip: string): AddressClass {
  const bytes = addressBytes(ip);
  if (!bytes) throw new Error(`"${ip}" is not an IP address`);
  const judged = unmapped(bytes);
  return parsedRanges.find((range) => inPrefix(judged, range.bytes, range.prefix))?.kind ?? 'public';
}

/** CLUSTER_ENDPOINT_ALLOW: CIDRs (10.0.0.0/8, fd00::/8), addresses, host names, `*.example.com`; comma-separated. */
export function parseAllowList(text: string): AllowEntry[] {
  return text
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '')
    .map((entry): AllowEntry => {
      const [address, bits, extra] = entry.split('/');
      const bytes = addressBytes(address!);
      if (bytes) {
        const prefix = bits === undefined ? bytes.length * 8 : Number(bits);
        if (extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > bytes.length * 8 || (bits !== undefined && !/^\d+$/.test(bits))) {
          throw new Error(`"${entry}" is not a CIDR`);
        }
        return { kind: 'cidr', text: entry, bytes: unmapped(bytes), prefix: bytes.length === 16 && unmapped(bytes).length === 4 ? Math.max(0, prefix - 96) : prefix };
      }
      const subdomains = entry.startsWith('*.');
      const host = subdomains ? entry.slice(2) : entry;
      if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host)) throw new Error(`"${entry}" is neither a CIDR nor a host name`);
      return { kind: 'host', text: entry, host, subdomains };
    });
}

function hostAllowed(allow: AllowEntry[], host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return allow.some((entry) => entry.kind === 'host' && (entry.host === name || (entry.subdomains && name.endsWith(`.${entry.host}`))));
}

function addressAllowed(allow: AllowEntry[], ip: string): boolean {
  const bytes = unmapped(addressBytes(ip)!);
  return allow.some((entry) => entry.kind === 'cidr' && inPrefix(bytes, entry.bytes, entry.prefix));
}

/**
 * Why Flotilla will not connect to `ip` for endpoint host `host`, or undefined when it may. Metadata and link-local
 * addresses are refused whatever the allow-list says: they hand out the function's own cloud credentials.
 */
export function refusedAddress(policy: EndpointPolicy, host: string, ip: string): string | undefined {
  const kind = classifyAddress(ip);
  const shown = host.replace(/^\[|\]$/g, '') === ip ? ip : `${host} (${ip})`;
  if (kind === 'metadata') return `${shown} is a cloud metadata address; Flotilla never connects there`;
  if (kind === 'link-local') return `${shown} is a link-local address; Flotilla never connects there`;
  if (kind === 'loopback' && !policy.allowLoopback) {
    return `${shown} is a loopback address, which this deployment does not allow (CLUSTER_ENDPOINT_ALLOW_LOOPBACK)`;
  }
  if (policy.allow.length > 0 && !hostAllowed(policy.allow, host) && !addressAllowed(policy.allow, ip)) {
    return `${shown} is not in the cluster endpoint allow-list (CLUSTER_ENDPOINT_ALLOW)`;
  }
  return undefined;
}

/** The endpoint's host when it is an IP literal (checked before any connection), else undefined (checked once resolved). */
export function literalAddress(endpoint: string): string | undefined {
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
  return addressBytes(host) ? host : undefined;
}
