import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connect } from 'node:net';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { ensureBinaries, type ClusterBinaries } from './binaries.ts';
import { withLock } from './lock.ts';
import { allocatePorts, releasePorts } from './ports.ts';
import { commandLine, isAlive, killProcessesMatching, pollUntil, processesMatching } from '../process.ts';

const run = promisify(execFile);

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** All cluster state lives under the repo's git-ignored .flotilla/ folder. */
// Resolved: a checkout whose .flotilla links to another's (a git worktree sharing clusters) must name the same paths,
// since running clusters are found by the work dir in their processes' command lines.
export const stateDir = resolvedPath(join(repoRoot, '.flotilla'));

function resolvedPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
const workDir = join(stateDir, 'kwok');
const clustersDir = join(workDir, 'clusters');
export const kubeconfigDir = join(stateDir, 'clusters');
const nodesPerCluster = 2;

export function kubeconfigPath(name: string): string {
  return join(kubeconfigDir, `${name}.kubeconfig`);
}

/** kwokctl's binary runtime, pointed at local builds and bound to loopback; nothing is downloaded. */
async function kwokctl(bins: ClusterBinaries, args: string[], timeoutMs = 300_000, cluster?: string, ports?: ClusterPorts): Promise<string> {
  const configPath = join(workDir, `kwokctl${cluster ? `-${cluster}` : ''}.yaml`);
  await mkdir(workDir, { recursive: true });
  await writeFile(configPath, await kwokctlConfiguration(bins, cluster, ports));
  const env = {
    ...process.env,
    PATH: `${bins.k8sBin}:${bins.kwokBin}:${process.env.PATH ?? ''}`,
    KWOK_WORKDIR: workDir,
    KWOK_RUNTIME: 'binary',
  };
  const { stdout } = await run(join(bins.kwokBin, 'kwokctl'), ['--config', configPath, ...args], {
    env,
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/**
 * No ingress controller runs in a simulated cluster, so kwok plays one too: a Stage gives every Ingress a load-balancer
 * address, as a cloud controller would. The address is from TEST-NET-1 (RFC 5737), never routed, one per cluster.
 */
export function ingressAddress(cluster: string): string {
  let hash = 0;
  for (const char of cluster) hash = (hash * 31 + char.charCodeAt(0)) % 250;
  return `192.0.2.${hash + 2}`;
}

function ingressStage(cluster: string): object {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name: 'ingress-load-balancer' },
    spec: {
      resourceRef: { apiGroup: 'networking.k8s.io/v1', kind: 'Ingress' },
      selector: { matchExpressions: [{ key: '.status.loadBalancer.ingress', operator: 'DoesNotExist' }] },
      next: { statusTemplate: `loadBalancer:\n  ingress:\n  - ip: ${ingressAddress(cluster)}\n` },
    },
  };
}

/**
 * kwok runs no containers, so its kubelet serves each pod's log from a file (a ClusterLogs rule): one file per cluster,
 * in the CRI log format (`<RFC 3339 time> <stdout|stderr> F <line>`), which tests append to as a container would write.
 */
export function podLogsFile(cluster: string): string {
  return join(workDir, 'pod-logs', `${cluster}.log`);
}

/** Appends lines to every pod's simulated log in the cluster, as a container writing to `stream` would. */
export async function writePodLog(cluster: string, lines: string[], stream: 'stdout' | 'stderr' = 'stdout'): Promise<void> {
  const at = new Date().toISOString().replace('Z', '000000Z');
  await appendFile(podLogsFile(cluster), lines.map((line) => `${at} ${stream} F ${line}\n`).join(''));
}

function clusterLogs(cluster: string): object {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterLogs',
    metadata: { name: 'pod-logs' },
    spec: { selector: {}, logs: [{ logsFile: podLogsFile(cluster) }] },
  };
}

/** A cloud controller's part for Services of type LoadBalancer: the same per-cluster TEST-NET-1 address. */
function serviceStage(cluster: string): object {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name: 'service-load-balancer' },
    spec: {
      resourceRef: { apiGroup: 'v1', kind: 'Service' },
      selector: {
        matchExpressions: [
          { key: '.spec.type', operator: 'In', values: ['LoadBalancer'] },
          { key: '.status.loadBalancer.ingress', operator: 'DoesNotExist' },
        ],
      },
      next: { statusTemplate: `loadBalancer:\n  ingress:\n  - ip: ${ingressAddress(cluster)}\n` },
    },
  };
}

/** The kwokctl options naming each component's port; the first two are etcd's. */
const portOptions = ['etcdPeerPort', 'etcdPort', 'kubeApiserverPort', 'kubeControllerManagerPort', 'kubeSchedulerPort', 'kwokControllerPort'] as const;
type ClusterPorts = Record<(typeof portOptions)[number], number>;

async function kwokctlConfiguration(bins: ClusterBinaries, cluster?: string, ports?: ClusterPorts): Promise<string> {
  const options = {
    ...ports,
    runtime: 'binary',
    bindAddress: '127.0.0.1',
    kubeApiserverBinary: join(bins.k8sBin, 'kube-apiserver'),
    kubeControllerManagerBinary: join(bins.k8sBin, 'kube-controller-manager'),
    kubeSchedulerBinary: join(bins.k8sBin, 'kube-scheduler'),
    kubectlBinary: join(bins.k8sBin, 'kubectl'),
    etcdBinary: join(bins.etcdBin, 'etcd'),
    kwokControllerBinary: join(bins.kwokBin, 'kwok'),
    quietPull: true,
  };
  const documents: object[] = [{ apiVersion: 'config.kwok.x-k8s.io/v1alpha1', kind: 'KwokctlConfiguration', options }];
  if (!cluster) return serialise(documents, []);
  // A config with any stage replaces kwok's defaults, so the defaults come along with ours.
  const defaults = await Promise.all((await readdir(bins.kwokStages)).sort().map((file) => readFile(join(bins.kwokStages, file), 'utf8')));
  return serialise([...documents, ingressStage(cluster), serviceStage(cluster), clusterLogs(cluster)], defaults);
}

function serialise(documents: object[], yamlDocuments: string[]): string {
  return [...documents.map((d) => JSON.stringify(d, null, 2)), ...yamlDocuments].map((d) => `---\n${d.trim()}\n`).join('');
}

async function kubectl(bins: ClusterBinaries, kubeconfig: string, args: string[], timeoutMs = 30_000): Promise<string> {
  const { stdout } = await run(join(bins.k8sBin, 'kubectl'), ['--kubeconfig', kubeconfig, ...args], {
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

async function apiserverReady(bins: ClusterBinaries, name: string): Promise<boolean> {
  const kubeconfig = kubeconfigPath(name);
  if (!existsSync(kubeconfig)) return false;
  try {
    return (await kubectl(bins, kubeconfig, ['get', '--raw', '/readyz'], 5_000)).trim() === 'ok';
  } catch {
    return false;
  }
}

/** A cluster's processes, by the name of their pid file, each with the kwokctl option naming the port it listens on. */
const components = [
  ['etcd', 'etcdPort'],
  ['kube-apiserver', 'kubeApiserverPort'],
  ['kube-controller-manager', 'kubeControllerManagerPort'],
  ['kube-scheduler', 'kubeSchedulerPort'],
  ['kwok-controller', 'kwokControllerPort'],
] as const;

export type ClusterStatus = 'running' | 'broken' | 'stopped';

export interface ClusterHealth {
  status: ClusterStatus;
  /** Components of a broken cluster that are dead or do not answer on their port. */
  dead: string[];
}

/**
 * Running only when every component is alive and answers on its port and the apiserver is ready: a cluster whose
 * controller-manager died still answers /readyz, but never schedules or scales anything. Nothing alive is stopped.
 */
export async function clusterHealth(bins: ClusterBinaries, name: string): Promise<ClusterHealth> {
  const dir = join(clustersDir, name);
  const ports = await recordedPorts(name);
  const checks = await Promise.all(
    components.map(async ([component, option]) => {
      const alive = await componentAlive(dir, component);
      const port = ports[option];
      return { component, alive, answering: alive && port !== undefined && (await answers(port)) };
    }),
  );
  if (!checks.some((c) => c.alive) && (await processesMatching(clusterProcessPattern(name))).length === 0) {
    return { status: 'stopped', dead: [] };
  }
  const dead = checks.filter((c) => !c.answering).map((c) => (c.alive ? `${c.component} (not answering)` : c.component));
  if (dead.length === 0 && !(await apiserverReady(bins, name))) dead.push('kube-apiserver (not ready)');
  return { status: dead.length === 0 ? 'running' : 'broken', dead };
}

/** The ports kwokctl recorded for the cluster (kwok.yaml), whether we chose them or kwokctl did. */
async function recordedPorts(name: string): Promise<Partial<Record<string, number>>> {
  try {
    const documents = parseAllDocuments(await readFile(join(clustersDir, name, 'kwok.yaml'), 'utf8'));
    for (const document of documents) {
      const doc = document.toJS() as { kind?: string; options?: Record<string, unknown> } | null;
      if (doc?.kind === 'KwokctlConfiguration') {
        return Object.fromEntries(Object.entries(doc.options ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number'));
      }
    }
  } catch {
    // not created (yet)
  }
  return {};
}

/** The pid file's process is alive and still ours: its command line points into the cluster's folder (pids get reused). */
async function componentAlive(dir: string, component: string): Promise<boolean> {
  let pid: number;
  try {
    pid = Number((await readFile(join(dir, 'pids', `${component}.pid`), 'utf8')).trim());
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return false;
  return (await commandLine(pid))?.includes(`${dir}/`) === true;
}

/** A TCP connection on loopback is accepted: the kernel answers for a listener however busy its process is. */
function answers(port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Names of the clusters kwokctl knows in our work dir (running or not). */
export async function knownClusters(): Promise<string[]> {
  if (!existsSync(clustersDir)) return [];
  return (await readdir(clustersDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
}

/** Processes started for a cluster all carry its work dir in their command line, which finds them after a crash too. */
function clusterProcessPattern(name: string): string {
  return `${join(clustersDir, name)}/`;
}

export interface UpResult {
  name: string;
  kubeconfig: string;
  /** false when the cluster was already running and `up` was a no-op */
  started: boolean;
}

/**
 * Starts one simulated cluster per name; a running cluster is left alone, a broken one (some component dead) or a
 * stopped one is swept and started afresh on ports from the machine-wide registry.
 */
export async function clustersUp(names: string[], log: (line: string) => void = () => {}): Promise<UpResult[]> {
  const bins = await ensureBinaries();
  await mkdir(workDir, { recursive: true });
  return withLock(join(workDir, '.lock'), () => startMissing(bins, names, log));
}

async function startMissing(bins: ClusterBinaries, names: string[], log: (line: string) => void): Promise<UpResult[]> {
  await mkdir(kubeconfigDir, { recursive: true });
  // One at a time: on two cores, parallel apiserver start-ups slow each other down more than they overlap.
  const results: UpResult[] = [];
  for (const name of names) {
    const health = await clusterHealth(bins, name);
    if (health.status === 'running') {
      results.push({ name, kubeconfig: kubeconfigPath(name), started: false });
      continue;
    }
    if (health.status === 'broken') log(`cluster ${name} is broken (dead: ${health.dead.join(', ')}); sweeping it`);
    await removeCluster(bins, name);
    log(`starting cluster ${name}`);
    await mkdir(join(workDir, 'pod-logs'), { recursive: true });
    await writeFile(podLogsFile(name), '');
    const chosen = await allocatePorts(join(clustersDir, name), portOptions.length);
    const ports = Object.fromEntries(portOptions.map((option, i) => [option, chosen[i]!])) as ClusterPorts;
    await kwokctl(bins, ['create', 'cluster', '--name', name, '--kubeconfig', '', '--wait', '3m'], 300_000, name, ports);
    await kwokctl(bins, ['scale', 'node', '--replicas', String(nodesPerCluster), '--name', name]);
    await writeFlatKubeconfig(bins, name);
    // kwokctl waits for the apiserver only; a component that died on start-up must not pass for a started cluster.
    let started = health;
    await pollUntil(async () => (started = await clusterHealth(bins, name)).status === 'running', 30_000, 500);
    if (started.status !== 'running') throw new Error(`cluster ${name} started broken (dead: ${started.dead.join(', ')})`);
    results.push({ name, kubeconfig: kubeconfigPath(name), started: true });
  }
  return results;
}

/**
 * Writes a self-contained admin kubeconfig (credentials inline, context and cluster named after the cluster), the form
 * Flotilla's `cluster join` accepts.
 */
async function writeFlatKubeconfig(bins: ClusterBinaries, name: string): Promise<void> {
  const source = join(clustersDir, name, 'kubeconfig.yaml');
  const flat = await kubectl(bins, source, ['config', 'view', '--flatten', '--minify']);
  const doc = parseYaml(flat) as {
    clusters: { name: string }[];
    users: { name: string }[];
    contexts: { name: string; context: { cluster: string; user: string } }[];
  };
  const [cluster, user, context] = [doc.clusters[0], doc.users[0], doc.contexts[0]];
  if (!cluster || !user || !context) throw new Error(`kwokctl wrote an incomplete kubeconfig for ${name}`);
  cluster.name = name;
  user.name = `${name}-admin`;
  context.name = name;
  context.context = { cluster: name, user: user.name };
  const kubeconfig = { apiVersion: 'v1', kind: 'Config', clusters: [cluster], users: [user], contexts: [context], 'current-context': name };
  await writeFile(kubeconfigPath(name), JSON.stringify(kubeconfig, null, 2), { mode: 0o600 });
}

async function removeCluster(bins: ClusterBinaries, name: string): Promise<void> {
  if (existsSync(join(clustersDir, name))) {
    try {
      await kwokctl(bins, ['delete', 'cluster', '--name', name, '--kubeconfig', '', '--force'], 120_000);
    } catch {
      // A half-created cluster can make kwokctl fail; the process sweep and rm below finish the job.
    }
  }
  await killProcessesMatching(clusterProcessPattern(name));
  await rm(join(clustersDir, name), { recursive: true, force: true });
  await rm(kubeconfigPath(name), { force: true });
  await rm(podLogsFile(name), { force: true });
  await releasePorts(join(clustersDir, name));
}

/** Stops clusters and removes their state; with no names, every cluster in the work dir. */
export async function clustersDown(names?: string[]): Promise<string[]> {
  const targets = names?.length ? names : await knownClusters();
  if (targets.length === 0) return [];
  const bins = await ensureBinaries();
  await mkdir(workDir, { recursive: true });
  await withLock(join(workDir, '.lock'), async () => {
    for (const name of targets) await removeCluster(bins, name);
  });
  return targets;
}

export interface ClusterListing {
  name: string;
  status: ClusterStatus;
  /** What is dead in a broken cluster. */
  dead: string[];
  running: boolean;
  endpoint: string;
  kubeconfig: string;
  processes: number;
  rssMiB: number;
}

export async function clustersList(): Promise<ClusterListing[]> {
  const names = await knownClusters();
  if (names.length === 0) return [];
  const bins = await ensureBinaries();
  return Promise.all(
    names.map(async (name) => {
      const procs = await processesMatching(clusterProcessPattern(name));
      let endpoint = '-';
      try {
        const doc = parseYaml(await readFile(kubeconfigPath(name), 'utf8')) as { clusters: { cluster: { server: string } }[] };
        endpoint = doc.clusters[0]?.cluster.server ?? '-';
      } catch {
        // no kubeconfig written yet
      }
      const health = await clusterHealth(bins, name);
      return {
        name,
        ...health,
        running: health.status === 'running',
        endpoint,
        kubeconfig: kubeconfigPath(name),
        processes: procs.length,
        rssMiB: Math.round(procs.reduce((sum, p) => sum + p.rssKiB, 0) / 1024),
      };
    }),
  );
}

