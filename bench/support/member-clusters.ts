// The benchmarks' member clusters: simulated API servers (devenv/clusters/kwok.ts) under the benchmark's own names,
// reached through proxies, so each registration has an endpoint of its own (and, in WAN mode, a delayed one).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parse } from 'yaml';
import { clustersUp, kubeconfigPath } from '../../devenv/clusters/kwok.ts';
import type { ClusterRegistry } from '../../lib/engine/clusters/cluster-registry.ts';

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
  /** Its own endpoint: a proxy port on 127.0.0.1. */
  port: number;
  kubeconfig: string;
}

export interface ProxiedRegistrations {
  registrations: Registration[];
  /** Stops the proxies' process. */
  close(): Promise<void>;
}

/** One proxy per registration, all in one child process (bench/support/proxy-child.ts); registration i goes to API server i mod N. */
export async function registrationsThroughProxies(names: string[], apiservers: Apiserver[], rttMs: number): Promise<ProxiedRegistrations> {
  const targets = names.map((_, i) => apiservers[i % apiservers.length]!);
  const child = spawn(process.execPath, [new URL('./proxy-child.ts', import.meta.url).pathname, JSON.stringify({ targets: targets.map(({ host, port }) => ({ host, port })), rttMs })], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const [line] = (await Promise.race([once(createInterface({ input: child.stdout }), 'line'), exited.then(() => [undefined])])) as [string | undefined];
  if (line === undefined) throw new Error('the proxy process exited before it listened');
  const ports = JSON.parse(line) as number[];
  return {
    registrations: names.map((name, i) => ({ name, apiserver: targets[i]!, port: ports[i]!, kubeconfig: kubeconfigThrough(targets[i]!.kubeconfig, ports[i]!) })),
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
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
