// moto server (DynamoDB, SQS and KMS on one loopback port) for integration tests and people: installed from PyPI into
// .flotilla/venv at the versions pinned in devenv/moto/requirements.txt, started detached so it outlives the process
// that asked for it, and found again through its state file. `npm run moto -- up|down|status`.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import * as z from 'zod';
import { withLock } from './clusters/lock.ts';
import { commandLine, freeLoopbackPort, isAlive, pollUntil, rssKiB, terminateGroup } from './process.ts';
import { errorMessage } from '../lib/core/errors/error-message.ts';

const projectRoot = resolve(import.meta.dirname, '..');
const requirementsFile = join(import.meta.dirname, 'moto', 'requirements.txt');
const venvDir = join(projectRoot, '.flotilla', 'venv');
// Outside the venv: `venv --clear` wipes the venv directory while the lock is held.
const venvLock = join(projectRoot, '.flotilla', 'venv.lock');
const venvStamp = join(venvDir, 'requirements.sha256');
const motoServerBin = join(venvDir, 'bin', 'moto_server');
const startTimeoutMs = 60_000;
const startAttempts = 3;

export const defaultMotoStateDir = join(projectRoot, '.flotilla', 'moto');

const MotoState = z.object({
  pid: z.int().positive(),
  port: z.int().min(1).max(65_535),
  endpoint: z.url(),
  /**
   * Processes using this moto (test runs share one checkout, and with it one moto). A handle's stop() stops the
   * server only when no other live holder is left, so one run's teardown does not pull moto from under another's tests.
   */
  holders: z.array(z.int().positive()).default([]),
  /** Set by `npm run moto -- up`: kept running until `npm run moto -- down`, whoever else lets go. */
  pinned: z.boolean().default(false),
});
export type MotoState = z.infer<typeof MotoState>;

export interface MotoOptions {
  /** Holds state.json, moto.log and the lock. Tests pass their own to leave the shared moto alone. */
  stateDir?: string;
}

export interface MotoHandle {
  endpoint: string;
  /** False when a moto that was already running was reused. */
  startedHere: boolean;
  /**
   * Lets go of this process's hold and stops the server (removing its state) unless another live process still holds
   * it or `npm run moto -- up` pinned it.
   */
  stop(): Promise<void>;
}

export interface MotoStatus extends MotoState {
  /** The pid is our moto_server and the endpoint answers. */
  running: boolean;
  rssKiB: number | undefined;
}

/**
 * Returns a running moto: the one the state file names when its process is alive and its endpoint answers, else a new
 * one. A stale state file or a hung moto left by a crashed run is cleaned up first.
 */
export async function ensureMoto(options: MotoOptions = {}): Promise<MotoHandle> {
  return acquire(motoPaths(options), { pin: false });
}

/** Stops the moto the state file names, if any, whoever holds it, and removes the state. */
export async function stopMoto(options: MotoOptions = {}): Promise<void> {
  const paths = motoPaths(options);
  await mkdir(paths.dir, { recursive: true });
  await withLock(paths.lock, async () => {
    const state = await readState(paths);
    if (!state) return;
    if (await isOurMoto(state.pid)) await terminateGroup(state.pid);
    await rm(paths.state, { force: true });
  });
}

export async function motoStatus(options: MotoOptions = {}): Promise<MotoStatus | undefined> {
  const state = await readState(motoPaths(options));
  if (!state) return undefined;
  const running = (await isOurMoto(state.pid)) && (await answers(state.endpoint));
  return { ...state, running, rssKiB: running ? rssKiB(state.pid) : undefined };
}

interface MotoPaths {
  dir: string;
  state: string;
  log: string;
  lock: string;
}

function motoPaths({ stateDir = defaultMotoStateDir }: MotoOptions): MotoPaths {
  return {
    dir: stateDir,
    state: join(stateDir, 'state.json'),
    log: join(stateDir, 'moto.log'),
    lock: join(stateDir, 'lock'),
  };
}

async function acquire(paths: MotoPaths, { pin }: { pin: boolean }): Promise<MotoHandle> {
  await mkdir(paths.dir, { recursive: true });
  return withLock(paths.lock, async () => {
    const previous = await readState(paths);
    if (previous) {
      if ((await isOurMoto(previous.pid)) && (await answers(previous.endpoint))) {
        const holders = [...liveOthers(previous.holders), process.pid];
        await writeState(paths, { ...previous, holders, pinned: previous.pinned || pin });
        return motoHandle(paths, previous.pid, previous.endpoint, false);
      }
      // Left by a crashed run: dead, or alive but no longer reachable where the state says.
      if (await isOurMoto(previous.pid)) await terminateGroup(previous.pid);
      await rm(paths.state, { force: true });
    }
    await ensureVenv();
    const { pid, endpoint } = await startMoto(paths, pin);
    return motoHandle(paths, pid, endpoint, true);
  });
}

function motoHandle(paths: MotoPaths, pid: number, endpoint: string, startedHere: boolean): MotoHandle {
  return { endpoint, startedHere, stop: () => release(paths, pid) };
}

async function release(paths: MotoPaths, pid: number): Promise<void> {
  await withLock(paths.lock, async () => {
    const state = await readState(paths);
    if (state?.pid !== pid) {
      // The state moved on to another instance (or was removed): ours is an orphan nobody else can find.
      if (await isOurMoto(pid)) await terminateGroup(pid);
      return;
    }
    const holders = liveOthers(state.holders);
    if (state.pinned || holders.length > 0) {
      await writeState(paths, { ...state, holders });
      return;
    }
    if (await isOurMoto(pid)) await terminateGroup(pid);
    await rm(paths.state, { force: true });
  });
}

/** Holders other than this process that are still running. */
function liveOthers(holders: number[]): number[] {
  return holders.filter((holder) => holder !== process.pid && isAlive(holder));
}

async function startMoto(paths: MotoPaths, pinned: boolean): Promise<MotoState> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    const log = openSync(paths.log, 'w');
    // Detached: its own process group, so it survives the vitest worker and stops as a group.
    // cwd = the state dir, so a stray process can be traced back to its instance through /proc/PID/cwd.
    const child = spawn(motoServerBin, ['-H', '127.0.0.1', '-p', String(port)], {
      cwd: paths.dir,
      detached: true,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    const pid = child.pid;
    if (pid === undefined) {
      const err = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`cannot start ${motoServerBin}: ${err.message}`);
    }
    child.unref();
    const state: MotoState = { pid, port, endpoint: `http://127.0.0.1:${port}`, holders: [process.pid], pinned };
    // Written before the wait, so a run that dies during start-up leaves a trail for the next one to clean up.
    await writeState(paths, state);
    await pollUntil(async () => !isAlive(pid) || (await answers(state.endpoint)), startTimeoutMs, 200);
    if (isAlive(pid) && (await answers(state.endpoint))) return state;

    if (isAlive(pid)) await terminateGroup(pid);
    await rm(paths.state, { force: true });
    const output = await readFile(paths.log, 'utf8');
    if (!output.includes('Address already in use') || attempt === startAttempts) {
      throw new Error(`moto did not come up on ${state.endpoint} within ${startTimeoutMs} ms; ${paths.log}:\n${tail(output)}`);
    }
  }
}

/** Creates .flotilla/venv from requirements.txt unless the stamp says it already holds exactly that file's pins. */
async function ensureVenv(): Promise<void> {
  const wanted = createHash('sha256').update(await readFile(requirementsFile)).digest('hex');
  const upToDate = async () =>
    existsSync(motoServerBin) && (await readFile(venvStamp, 'utf8').catch(() => '')).trim() === wanted;
  if (await upToDate()) return;
  await mkdir(resolve(venvLock, '..'), { recursive: true });
  await withLock(venvLock, async () => {
    if (await upToDate()) return; // another process installed it while we waited
    console.error(`moto: installing ${relative(projectRoot, requirementsFile)} into ${relative(projectRoot, venvDir)}`);
    await run('python3', ['-m', 'venv', '--clear', venvDir]);
    await run(join(venvDir, 'bin', 'pip'), [
      'install',
      '--disable-pip-version-check',
      '--no-input',
      '--requirement',
      requirementsFile,
    ]);
    await writeFile(venvStamp, `${wanted}\n`);
  });
}

async function isOurMoto(pid: number): Promise<boolean> {
  return isAlive(pid) && ((await commandLine(pid))?.includes(motoServerBin) ?? false);
}

/** moto's own management API, so a different server that took the port does not pass for moto. */
async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/config`, { signal: AbortSignal.timeout(2_000) });
    return response.ok && z.looseObject({}).safeParse(await response.json()).success;
  } catch {
    return false;
  }
}

async function readState(paths: MotoPaths): Promise<MotoState | undefined> {
  let text: string;
  try {
    text = await readFile(paths.state, 'utf8');
  } catch {
    return undefined;
  }
  // A torn or foreign file counts as no state (writes are atomic renames, so only a person could have made one).
  try {
    return MotoState.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}

async function writeState(paths: MotoPaths, state: MotoState): Promise<void> {
  const temporary = `${paths.state}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, paths.state);
}

async function run(command: string, args: string[]): Promise<void> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail(output)}`);
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function cli(argv: string[]): Promise<number> {
  const usage = 'usage: npm run moto -- up | down | status';
  const [command, ...rest] = argv;
  if (rest.length > 0) {
    console.error(usage);
    return 2;
  }
  switch (command) {
    case 'up': {
      const moto = await acquire(motoPaths({}), { pin: true });
      console.error(`moto: ${moto.startedHere ? 'started' : 'already running'}, kept until \`npm run moto -- down\``);
      console.log(moto.endpoint);
      return 0;
    }
    case 'down': {
      const status = await motoStatus();
      await stopMoto();
      console.error(status?.running ? `moto: stopped pid ${status.pid}` : 'moto: not running');
      return 0;
    }
    case 'status': {
      const status = await motoStatus();
      if (!status?.running) {
        console.log('moto: not running');
        return 1;
      }
      const rss = status.rssKiB === undefined ? '?' : `${(status.rssKiB / 1024).toFixed(1)}Mi`;
      const holders = status.pinned ? 'pinned by up' : `held by ${liveOthers(status.holders).length} process(es)`;
      console.log(`moto: running  pid ${status.pid}  endpoint ${status.endpoint}  rss ${rss}  ${holders}`);
      return 0;
    }
    default:
      console.error(command ? `moto: unknown command ${command}\n${usage}` : usage);
      return 2;
  }
}

if (import.meta.main) {
  try {
    process.exitCode = await cli(process.argv.slice(2));
  } catch (err) {
    console.error(`moto: ${errorMessage(err)}`);
    process.exitCode = 1;
  }
}
