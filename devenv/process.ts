// Small helpers for the detached servers of the dev environment (moto, clusters): liveness, identity, termination,
// ports and waiting; the cross-process lock is devenv/clusters/lock.ts. Linux only, like the environment itself:
// identity and RSS come from /proc.
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Alive means signalable and not a zombie: a zombie still answers kill(pid, 0) but holds no port and no memory. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return procStatusField(pid, 'State')?.startsWith('Z') !== true;
}

/** The process's argv joined with spaces, or undefined when it is gone. Used to tell our server from a reused pid. */
export async function commandLine(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
  } catch {
    return undefined;
  }
}

/** Resident set size in KiB, or undefined when the process is gone. */
export function rssKiB(pid: number): number | undefined {
  const value = procStatusField(pid, 'VmRSS');
  return value === undefined ? undefined : Number.parseInt(value, 10);
}

export interface ProcessInfo {
  pid: number;
  cmdline: string;
  rssKiB: number;
}

/**
 * Live processes whose command line contains `needle`. Processes a cluster started all carry its state folder in their
 * command line, which finds them after a crash too, when no pid file is left to trust.
 */
export async function processesMatching(needle: string): Promise<ProcessInfo[]> {
  const found: ProcessInfo[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cmdline = await commandLine(pid);
    if (cmdline === undefined || !cmdline.includes(needle) || !isAlive(pid)) continue;
    found.push({ pid, cmdline, rssKiB: rssKiB(pid) ?? 0 });
  }
  return found;
}

/** SIGTERM to every matching process, a grace period, then SIGKILL for whatever is left. */
export async function killProcessesMatching(needle: string, graceMs = 5_000): Promise<number> {
  const victims = await processesMatching(needle);
  for (const p of victims) signal(p.pid, 'SIGTERM');
  await pollUntil(async () => (await processesMatching(needle)).length === 0, graceMs);
  for (const p of await processesMatching(needle)) signal(p.pid, 'SIGKILL');
  return victims.length;
}

/**
 * SIGTERM to the process group `pid` leads (servers are spawned detached, so they lead their own group and their
 * children go with them), a grace period, then SIGKILL. Resolves once the leader is gone.
 */
export async function terminateGroup(pid: number, graceMs = 5_000): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const exited = await pollUntil(() => !isAlive(pid), graceMs);
  if (exited) return;
  signalGroup(pid, 'SIGKILL');
  if (!(await pollUntil(() => !isAlive(pid), 5_000))) throw new Error(`process ${pid} survived SIGKILL`);
}

/**
 * A loopback port that was free a moment ago. Another process may take it before the server binds it, so callers
 * retry start-up when the server reports the address in use.
 */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('loopback listener reported no port');
  return address.port;
}

/** Polls `check` every `intervalMs` until it holds (true) or `timeoutMs` passes (false). */
export async function pollUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // Not a group leader after all (or already gone): signal the process itself.
    signal(pid, sig);
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function procStatusField(pid: number, field: string): string | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  return new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(status)?.[1];
}
