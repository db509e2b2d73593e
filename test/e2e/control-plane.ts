// `npm start` as a user runs it: a child process on the embedded dynalite + fauxqs, on a loopback port of its own
// choosing (PORT=0; the URL is read from its "listening on" line), with its own data folder. Tests talk to it over
// HTTP only. A port picked free beforehand could be taken before the child binds it (CI once failed on EADDRINUSE).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ControlPlane {
  url: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  output(): string;
  /** Everything it wrote to stdout (log lines, EMF), when started with `captureStdout`; empty otherwise. */
  stdout(): string;
  /** Sends the signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startControlPlane(options: { dataDir?: string; env?: Record<string, string>; captureStdout?: boolean } = {}): Promise<ControlPlane> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'flotilla-e2e-')));
  // process.execPath is the pinned Node 24 (vitest runs on it); `npm start` runs exactly this command.
  const child = spawn(process.execPath, ['local/start.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', FLOTILLA_DATA_DIR: dataDir, FLOTILLA_BACKEND: 'embedded', POWERTOOLS_LOG_LEVEL: 'ERROR', ...options.env },
    stdio: ['ignore', options.captureStdout ? 'pipe' : 'ignore', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  let listening: RegExpExecArray | null;
  while (!(listening = /control plane listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
  return {
    url: listening[1]!,
    token,
    dataDir,
    process: child,
    output: () => stderr,
    stdout: () => stdout,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface ApiAnswer {
  status: number;
  body: any;
  text: string;
}

/** One call to the API with the admin token (or another), JSON in and out unless told otherwise. */
export async function call(plane: Pick<ControlPlane, 'url' | 'token'>, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
  const isText = typeof body === 'string';
  const response = await fetch(`${plane.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${plane.token}`,
      ...(body === undefined ? {} : { 'content-type': isText ? 'application/yaml' : 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : isText ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text };
}
