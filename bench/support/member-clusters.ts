// The benchmarks' member clusters: simulated API servers (devenv/clusters/kwok.ts) under the benchmark's own names,
// reached through proxies, so each registration has an endpoint of its own (and, in WAN mode, a delayed one).
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { clustersUp, kubeconfigPath } from '../../devenv/clusters/kwok.ts';
import type { ClusterRegistry } from '../../lib/engine/clusters/cluster-registry.ts';
import { startLatencyProxies, type LatencyProxy } from './latency-proxy.ts';

interface FlatKubeconfig {
  clusters: { name: string; cluster: { server: string } & Record<string, unknown> }[];
}

/** A started API server: its admin kubeconfig (as written by kwok.ts) and where it listens. */
export interface Apiserver {
  name: string;
  kubeconfig: string;
  host: string;
  port: number;
}

export async function startApiservers(names: string[]): Promise<Apiserver[]> {
  await clustersUp(names, (line) => console.error(line));
  return Promise.all(
    names.map(async (name) => {
      const kubeconfig = await readFile(kubeconfigPath(name), 'utf8');
      const server = new URL(serverOf(kubeconfig));
      return { name, kubeconfig, host: server.hostname, port: Number(server.port) };
    }),
  );
}

function serverOf(kubeconfig: string): string {
  const server = (parse(kubeconfig) as FlatKubeconfig).clusters[0]?.cluster.server;
  if (!server) throw new Error('the kubeconfig names no server');
  return server;
}

/** The same kubeconfig, pointed at a proxy on 127.0.0.1 (the simulated API servers' certificates cover 127.0.0.1). */
export function kubeconfigThrough(kubeconfig: string, port: number): string {
  const doc = parse(kubeconfig) as FlatKubeconfig;
  for (const cluster of doc.clusters) cluster.cluster.server = `https://127.0.0.1:${port}`;
  return JSON.stringify(doc, null, 2);
}

/** A registration: a name Flotilla knows a cluster by, and the kubeconfig it reaches that cluster with. */
export interface Registration {
  name: string;
  apiserver: Apiserver;
  kubeconfig: string;
  proxy: LatencyProxy;
}

/** One proxy per registration; registration i goes to API server i mod N. */
export async function registrationsThroughProxies(names: string[], apiservers: Apiserver[], rttMs: number): Promise<Registration[]> {
  const targets = names.map((_, i) => apiservers[i % apiservers.length]!);
  const proxies = await startLatencyProxies(targets, rttMs);
  return names.map((name, i) => ({ name, apiserver: targets[i]!, proxy: proxies[i]!, kubeconfig: kubeconfigThrough(targets[i]!.kubeconfig, proxies[i]!.port) }));
}

/** Joins every registration (each join probes its endpoint), a few at a time. */
export async function joinAll(registry: ClusterRegistry, registrations: Registration[], labels: Record<string, string>, concurrency = 16): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < registrations.length) {
      const registration = registrations[next++]!;
      await registry.join({ name: registration.name, kubeconfig: registration.kubeconfig, labels });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, registrations.length) }, worker));
}

export async function closeProxies(registrations: Registration[]): Promise<void> {
  await Promise.all(registrations.map((registration) => registration.proxy.close()));
}
