// Ports for member clusters, machine-wide. kwokctl picks "unused" ports itself by probing from 32767 down, so two
// checkouts bringing clusters up at once probe the same ports before either binds them, and the loser's components die.
// Here ports come from one registry per machine (in the binary cache, which every checkout shares), read and written
// under a lock, and are handed to kwokctl explicitly.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { withLock } from './lock.ts';
import { isAlive } from '../process.ts';

/** The cache build.sh uses: `${FLOTILLA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/flotilla}`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.FLOTILLA_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'flotilla');
}

/**
 * Below Linux's ephemeral range (32768+), so outgoing connections never take them, and below where kwokctl's own probing
 * starts (32767 down), so clusters created by an older checkout do not collide either.
 */
export const portRange = { first: 30000, last: 31999 };

interface Lease {
  port: number;
  /** The cluster's state folder (absolute), in whichever checkout. */
  owner: string;
  /** The allocating process: keeps the lease alive until the owner folder exists. */
  pid: number;
}

export interface PortRegistryOptions {
  /** Folder of the registry and its lock; the machine's cache by default (tests use their own). */
  dir?: string;
}

/**
 * `count` distinct loopback ports for `owner`, free now and leased to no other live owner. The owner's earlier leases are
 * replaced. A lease lives while its owner folder exists or its allocating process runs, so a deleted or never-created
 * cluster gives its ports back without anyone releasing them.
 */
export async function allocatePorts(owner: string, count: number, options: PortRegistryOptions = {}): Promise<number[]> {
  const dir = options.dir ?? cacheDir();
  await mkdir(dir, { recursive: true });
  return withLock(join(dir, '.ports.lock'), async () => {
    const leases = (await readLeases(dir)).filter((l) => l.owner !== owner && leaseIsLive(l));
    const taken = new Set(leases.map((l) => l.port));
    const ports: number[] = [];
    for (let port = portRange.first; port <= portRange.last && ports.length < count; port++) {
      if (!taken.has(port) && (await bindable(port))) ports.push(port);
    }
    if (ports.length < count) throw new Error(`no ${count} free ports left in ${portRange.first}-${portRange.last}`);
    await writeLeases(dir, [...leases, ...ports.map((port) => ({ port, owner, pid: process.pid }))]);
    return ports;
  });
}

/** Gives back the owner's ports (when its cluster is removed). */
export async function releasePorts(owner: string, options: PortRegistryOptions = {}): Promise<void> {
  const dir = options.dir ?? cacheDir();
  if (!existsSync(join(dir, 'ports.json'))) return;
  await withLock(join(dir, '.ports.lock'), async () => {
    await writeLeases(dir, (await readLeases(dir)).filter((l) => l.owner !== owner && leaseIsLive(l)));
  });
}

function leaseIsLive(lease: Lease): boolean {
  return existsSync(lease.owner) || isAlive(lease.pid);
}

async function readLeases(dir: string): Promise<Lease[]> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, 'ports.json'), 'utf8')) as { leases?: Lease[] };
    return Array.isArray(parsed.leases) ? parsed.leases : [];
  } catch {
    return []; // none yet, or unreadable: the bind probe still keeps live ports out
  }
}

/** Written to a temporary file and renamed, so a crash mid-write never leaves half a registry. */
async function writeLeases(dir: string, leases: Lease[]): Promise<void> {
  const temporary = join(dir, `ports.json.${process.pid}`);
  await writeFile(temporary, `${JSON.stringify({ leases }, null, 2)}\n`);
  await rename(temporary, join(dir, 'ports.json'));
}

/** Catches ports held by anything outside the registry (another program, a cluster of an older checkout). */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
