// `flotilla up --wait` in a real pseudo-terminal: the bin runs under script(1) from util-linux, which gives it a pty
// for stdin, stdout and stderr and copies everything written there to its own stdout. That is what a person at a
// terminal sees, escape sequences included, and what the process decides from isTTY, columns and NO_COLOR itself.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixtureText } from '../support/builders.ts';
import { cliFixtureJson, fakeApis, screenAfter, tempDir, uncoloured, type FakeApi } from './cli-harness.ts';

const bin = fileURLToPath(new URL('../../../bin/flotilla.js', import.meta.url));
const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

const serve = fakeApis();

async function serveBasic(): Promise<FakeApi> {
  return serve({
    'POST /applications': { status: 202, json: cliFixtureJson('api/submit-created-v1.json') },
    'GET /namespaces/default/applications/example-app/status': (cliFixtureJson('api/wait-basic-frames.json') as unknown[]).map((json) => ({ json })),
  });
}

/** Runs `up --wait` on a 72-column pty; `redirect` is appended to the command line (e.g. `2>file`). */
async function underScript(fake: FakeApi, env: Record<string, string>, redirect = ''): Promise<{ code: number | null; transcript: string }> {
  const dir = tempDir('flotilla-pty-');
  const file = join(dir, 'basic.yaml');
  writeFileSync(file, fixtureText('seed/basic.yaml'));
  const command = `stty cols 72 rows 40; exec ${quote(process.execPath)} ${quote(bin)} up -f ${quote(file)} --wait --poll-interval 50ms ${redirect}`;
  const { NO_COLOR: _inherited, ...inherited } = process.env;
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    cwd: dir,
    env: { ...inherited, TERM: 'xterm-256color', FLOTILLA_ENDPOINT: fake.url, FLOTILLA_TOKEN: 'flt_pty', FLOTILLA_CONFIG: join(dir, 'config.yaml'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let transcript = '';
  child.stdout.on('data', (chunk: Buffer) => (transcript += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (transcript += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, transcript };
}

const finalBlock = [
  '✔ example-app-v1: running',
  '  ✔ step deploy-beijing-clusters (deploy): succeeded',
  '  ✔ beijing-1/default hello-world-server: Healthy Ready:3/3',
  '  ✔ beijing-2/default hello-world-server: Healthy Ready:3/3',
];

describe('flotilla up --wait in a pseudo-terminal', () => {
  it('redraws its progress block in colour, leaves the final block on screen, then prints the status', async () => {
    const fake = await serveBasic();
    const { code, transcript } = await underScript(fake, {});
    expect(code).toBe(0);
    // Four redraws (one per poll after the first), each moving up over the block drawn before.
    expect(transcript.match(/\u001b\[\d+A\r\u001b\[J/g)).toEqual(['\u001b[1A\r\u001b[J', '\u001b[2A\r\u001b[J', '\u001b[4A\r\u001b[J', '\u001b[4A\r\u001b[J']);
    expect(transcript).toContain('\u001b[33m•\u001b[39m beijing-1/default hello-world-server: Unhealthy Ready:1/3');
    const screen = uncoloured(screenAfter(transcript)).split('\n');
    const at = screen.findIndex((line) => line.startsWith('✔ example-app-v1: running'));
    expect(screen.slice(at, at + 4).map((line, index) => (index === 0 ? line.replace(/ {2}\d+s$/, '') : line))).toEqual(finalBlock);
    // The status follows on stdout (the same terminal), coloured, then vela's closing lines.
    expect(transcript).toContain('Status:    \t\u001b[32mrunning\u001b[39m');
    expect(screen.slice(at + 4, at + 7)).toEqual(['About:', '', '  Name:      \texample-app']);
    expect(screen).toContain('✅ App has been deployed 🚀🚀🚀');
    // Nothing of the intermediate frames is left on the screen.
    expect(screen.join('\n')).not.toContain('Unhealthy');
  });

  it('keeps redrawing without colour when NO_COLOR is set', async () => {
    const fake = await serveBasic();
    const { code, transcript } = await underScript(fake, { NO_COLOR: '1' });
    expect(code).toBe(0);
    expect(transcript.match(/\u001b\[\d+A\r\u001b\[J/g)).toHaveLength(4);
    expect(transcript).not.toMatch(/\u001b\[\d+m/);
    expect(screenAfter(transcript)).toContain(finalBlock.slice(1).join('\n'));
  });

  it('writes plain lines when stderr is a file though stdout is the terminal', async () => {
    const fake = await serveBasic();
    const dir = tempDir('flotilla-pty-log-');
    const log = join(dir, 'progress.log');
    const { code, transcript } = await underScript(fake, {}, `2>${quote(log)}`);
    expect(code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const progress = readFileSync(log, 'utf8');
    expect(progress).not.toContain('\u001b');
    expect(progress).toContain('\nbeijing-1/default hello-world-server: Unhealthy Ready:1/3\nbeijing-2/default hello-world-server: Unhealthy Ready:0/3\n');
    // stdout is still the terminal: the status is coloured there, and no progress reached it.
    expect(transcript).toContain('\u001b[32mrunning\u001b[39m');
    expect(transcript).not.toContain('Unhealthy Ready:1/3');
  });

  it('exits 1 with the reason on the terminal when the API refuses the token', async () => {
    const api = await serve({
      'POST /applications': { status: 401, json: { error: { code: 'unauthenticated', message: 'unknown or revoked token', details: [] } } },
    });
    const { code, transcript } = await underScript(api, {});
    expect(code).toBe(1);
    expect(uncoloured(transcript)).toContain('Error: unknown or revoked token\r\n(check FLOTILLA_TOKEN, or run flotilla login with a valid token)\r\n');
  });
});
