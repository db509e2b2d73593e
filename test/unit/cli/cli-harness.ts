// Runs `main` in-process against a fake Flotilla API served over real HTTP, so requests go through the real fetch,
// URL building, headers and answer checking. The fake answers canned JSON; the client checks every answer against
// the API's own zod schemas, so a fixture that drifts from the API's contract fails the test that uses it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import picocolors from 'picocolors';
import { afterEach, expect } from 'vitest';
import type { CliEnvironment } from '../../../cli/environment.ts';
import { main } from '../../../cli/main.ts';
import type { Terminal } from '../../../cli/output/terminal.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: string;
}

export interface Reply {
  status?: number;
  json?: unknown;
  /** A body that is not JSON (a gateway's HTML, a proxy's text). */
  text?: string;
}

/** `'GET /clusters'` -> one reply, a list replied in turn (the last repeats), or a function of the request. */
export type Routes = Record<string, Reply | Reply[] | ((request: RecordedRequest) => Reply)>;

export interface FakeApi {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeApi(routes: Routes): Promise<FakeApi> {
  const requests: RecordedRequest[] = [];
  const served = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: { authorization: req.headers.authorization, 'content-type': req.headers['content-type'], accept: req.headers.accept },
        body: await bodyOf(req),
      };
      requests.push(request);
      const key = `${request.method} ${request.path}`;
      const route = routes[key];
      let reply: Reply;
      if (route === undefined) reply = { status: 404, json: { error: { code: 'not_found', message: `no route ${key}`, details: [] } } };
      else if (typeof route === 'function') reply = route(request);
      else if (Array.isArray(route)) {
        const turn = served.get(key) ?? 0;
        served.set(key, turn + 1);
        reply = route[Math.min(turn, route.length - 1)] ?? {};
      } else reply = route;
      res.writeHead(reply.status ?? 200, { 'content-type': reply.text === undefined ? 'application/json' : 'text/html' });
      res.end(reply.text ?? JSON.stringify(reply.json ?? {}));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Fake APIs for the tests of a file, each closed after its test: `const serve = fakeApis(); await serve(routes)`. */
export function fakeApis(): (routes: Routes) => Promise<FakeApi> {
  let open: FakeApi[] = [];
  afterEach(async () => {
    await Promise.all(open.map((api) => api.close()));
    open = [];
  });
  return async (routes) => {
    const api = await startFakeApi(routes);
    open.push(api);
    return api;
  };
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface RunOptions {
  api?: FakeApi;
  /** Files `readText` serves by name, before the real file system. */
  files?: Record<string, string>;
  env?: Record<string, string | undefined>;
  /** A terminal: colours on both streams, progress redrawn within this many columns. */
  tty?: { columns: number };
  home?: string;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The fixed "now" of every run: status ages and `Checked at` are computed against it. */
export const now = new Date('2022-03-25T09:45:30.000Z');

/** Runs the CLI with a fake clock whose sleeps return at once and move time on, so waits take no real time. */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const colors = picocolors.createColors(options.tty !== undefined);
  const terminal: Terminal = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readText: (path) => options.files?.[path] ?? readFileSync(path, 'utf8'),
    colors,
    errorColors: colors,
    liveColumns: options.tty?.columns,
  };
  let clock = now.getTime();
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'flotilla-cli-home-'));
  const environment: CliEnvironment = {
    env: {
      FLOTILLA_CONFIG: join(home, 'config.yaml'),
      ...(options.api === undefined ? {} : { FLOTILLA_ENDPOINT: options.api.url, FLOTILLA_TOKEN: 'flt_test' }),
      ...options.env,
    },
    home,
    fetch: (url, init) => fetch(url, init),
    clock: {
      now: () => clock,
      date: () => new Date(clock),
      sleep: async (ms) => {
        clock += ms;
      },
    },
    readBytes: (path) => readFileSync(path),
  };
  const code = await main(argv, terminal, environment);
  return { code, stdout, stderr };
}

const fixtures = fileURLToPath(new URL('../../fixtures/cli/', import.meta.url));

export function cliFixture(name: string): string {
  return readFileSync(join(fixtures, name), 'utf8');
}

export function cliFixtureJson(name: string): unknown {
  return JSON.parse(cliFixture(name)) as unknown;
}

/**
 * Compares with the golden file `test/fixtures/cli/golden/<name>`. UPDATE_GOLDEN=1 rewrites it instead; the diff is
 * then reviewed like any other change.
 */
export function expectGolden(name: string, actual: string): void {
  const path = join(fixtures, 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(path, actual);
    return;
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * What a terminal shows after `text` was written to it: each cursor-up-and-clear (`ESC[<n>A CR ESC[J`, what the live
 * progress writes) removes the lines it moves over. CR LF, as a pseudo-terminal turns LF into, counts as LF.
 */
export function screenAfter(text: string): string {
  const lines: string[] = [''];
  for (const part of text.replaceAll('\r\n', '\n').split(/(\u001b\[\d+A\r\u001b\[J|\n)/)) {
    const up = /^\u001b\[(\d+)A\r\u001b\[J$/.exec(part);
    if (up !== null) lines.splice(lines.length - 1 - Number(up[1]), Number(up[1]) + 1, '');
    else if (part === '\n') lines.push('');
    else lines[lines.length - 1] += part;
  }
  return lines.join('\n');
}

/** Without colour codes. */
export function uncoloured(text: string): string {
  return text.replace(/\u001b\[\d+m/g, '');
}
