import { describe, expect, it } from 'vitest';
import { classifyAddress, literalAddress, parseAllowList, refusedAddress, type EndpointPolicy } from '../../../../lib/core/cluster/endpoint-policy.ts';

const aws: EndpointPolicy = { allowLoopback: false, allow: [] };
const local: EndpointPolicy = { allowLoopback: true, allow: [] };

describe('classifyAddress', () => {
  it.each([
    ['169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['169.254.10.1', 'link-local'],
    ['::ffff:169.254.0.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['127.0.0.1', 'loopback'],
    ['127.1.2.3', 'loopback'],
    ['::1', 'loopback'],
    ['::', 'loopback'],
    ['0.0.0.0', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:127.0.0.1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['10.0.0.2', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['::ffff:10.1.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['172.32.0.1', 'public'],
    ['8.8.8.8', 'public'],
    ['2001:db8::1', 'public'],
    ['fec0::1', 'public'],
  ])('%s is %s', (ip, kind) => expect(classifyAddress(ip)).toBe(kind));
});

describe('refusedAddress', () => {
  it('always refuses metadata and link-local addresses, even allow-listed', () => {
    const permissive: EndpointPolicy = { allowLoopback: true, allow: parseAllowList('0.0.0.0/0, ::/0, metadata.internal') };
    for (const ip of ['169.254.169.254', '::ffff:169.254.169.254', 'fd00:ec2::254', 'fe80::1', '169.254.1.1']) {
      expect(refusedAddress(permissive, ip, ip)).toMatch(/(cloud metadata|link-local) address; Flotilla never connects there/);
    }
    expect(refusedAddress(permissive, 'metadata.internal', '169.254.169.254')).toBe('metadata.internal (169.254.169.254) is a cloud metadata address; Flotilla never connects there');
  });

  it('allows loopback only where the deployment does, IPv4-mapped forms included', () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '0.0.0.0']) {
      expect(refusedAddress(aws, ip, ip)).toMatch(/is a loopback address, which this deployment does not allow \(CLUSTER_ENDPOINT_ALLOW_LOOPBACK\)/);
      expect(refusedAddress(local, ip, ip)).toBeUndefined();
    }
    expect(refusedAddress(aws, 'localhost', '127.0.0.1')).toMatch(/^localhost \(127\.0\.0\.1\) is a loopback address/);
  });

  it('allows private and public addresses when there is no allow-list', () => {
    for (const ip of ['10.0.0.2', '192.168.1.1', 'fd12::1', '52.1.2.3']) expect(refusedAddress(aws, ip, ip)).toBeUndefined();
  });

  it('with an allow-list, allows only the hosts and ranges it names', () => {
    const policy: EndpointPolicy = { allowLoopback: false, allow: parseAllowList('10.0.0.0/8, fd00::/8, k8s.example.com, *.corp.example, 52.1.2.3') };
    expect(refusedAddress(policy, '10.9.8.7', '10.9.8.7')).toBeUndefined();
    expect(refusedAddress(policy, '::ffff:10.9.8.7', '::ffff:10.9.8.7')).toBeUndefined();
    expect(refusedAddress(policy, 'fd00::5', 'fd00::5')).toBeUndefined();
    expect(refusedAddress(policy, 'k8s.example.com', '203.0.113.9')).toBeUndefined();
    expect(refusedAddress(policy, 'api.eu.corp.example', '203.0.113.9')).toBeUndefined();
    expect(refusedAddress(policy, '52.1.2.3', '52.1.2.3')).toBeUndefined();
    expect(refusedAddress(policy, '192.168.1.1', '192.168.1.1')).toBe('192.168.1.1 is not in the cluster endpoint allow-list (CLUSTER_ENDPOINT_ALLOW)');
    expect(refusedAddress(policy, 'corp.example.evil.com', '203.0.113.9')).toMatch(/not in the cluster endpoint allow-list/);
    expect(refusedAddress(policy, 'notk8s.example.com', '203.0.113.9')).toMatch(/not in the cluster endpoint allow-list/);
    // An allow-listed range does not open loopback: that is the deployment's call.
    expect(refusedAddress({ allowLoopback: false, allow: parseAllowList('127.0.0.0/8') }, '127.0.0.1', '127.0.0.1')).toMatch(/loopback/);
  });
});

describe('parseAllowList', () => {
  it('reads CIDRs, addresses and host names, comma-separated', () => {
    expect(parseAllowList(' 10.0.0.0/8 ,, K8s.Example.com, *.corp.example ').map((entry) => entry.text)).toEqual(['10.0.0.0/8', 'k8s.example.com', '*.corp.example']);
    expect(parseAllowList('')).toEqual([]);
  });

  it.each(['10.0.0.0/33', '10.0.0.0/x', 'fd00::/129', 'bad host!', '10.0.0.0/8/8', 'https://k8s.example.com'])('refuses %s', (entry) => {
    expect(() => parseAllowList(entry)).toThrow(/is (not a CIDR|neither a CIDR nor a host name)/);
  });
});

describe('literalAddress', () => {
  it('finds IP literal hosts, bracketed IPv6 included', () => {
    expect(literalAddress('https://127.0.0.1:6443')).toBe('127.0.0.1');
    expect(literalAddress('https://[::ffff:127.0.0.1]:6443')).toBe('::ffff:7f00:1');
    expect(literalAddress('https://[fd00:ec2::254]/')).toBe('fd00:ec2::254');
    expect(literalAddress('https://k8s.example.com')).toBeUndefined();
  });
});
