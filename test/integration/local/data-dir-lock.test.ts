// `npm start` holds its data dir: a second start on it is refused with the holder's pid, a kill -9 leaves a stale lock
// that the next start takes over, and a graceful stop removes the lock. Real processes, the same command `npm start` runs
// (node local/start.ts, spawned directly so the pid under test is the control plane's, not npm's).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const children: ChildProcess[] = [];
let dataDir = '';

interface Started {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(): Started {
  const child = spawn(process.execPath, ['local/start.ts'], {
    cwd: repoRoot,
    env: { ...process.env, FLOTILLA_DATA_DIR: dataDir, PORT: '0', FLOTILLA_BACKEND: 'embedded' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

/** Resolves with the API's URL once the control plane says it listens; rejects if it exits first. */
async function listening(started: Started): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(started.stderr())?.[1];
    if (url) return url;
    if (started.child.exitCode !== null) throw new Error(`exited ${started.child.exitCode}: ${started.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no listening line: ${started.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm start holds its data dir', () => {
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a second start, takes over the lock of a killed one, and releases it on SIGTERM', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'flotilla-lock-'));
    const first = start();
    const url = await listening(first);
    expect((await readFile(join(dataDir, 'lock'), 'utf8')).split(' ')[0]).toBe(String(first.child.pid));

    const second = start();
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(`data dir ${dataDir} is in use by process ${first.child.pid}`);
    expect(second.stderr()).not.toMatch(/Database is closed/);
    // The first one never noticed.
    expect((await fetch(`${url}/clusters`)).status).toBe(401);

    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(join(dataDir, 'lock'))).toBe(true); // stale: its owner is gone

    const third = start();
    await listening(third);
    expect((await readFile(join(dataDir, 'lock'), 'utf8')).split(' ')[0]).toBe(String(third.child.pid));

    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(existsSync(join(dataDir, 'lock'))).toBe(false);
  });
});
