// The moto lifecycle (with its own state directory, so the shared moto of the test run is left alone) and KMS on the
// shared moto.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateKeyCommand, DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { createAwsClients } from '../../../lib/adapters/aws/clients.ts';
import { ensureMoto, motoStatus, stopMoto } from '../../../devenv/moto.ts';
import { isAlive } from '../../../devenv/process.ts';
import { useFakeAwsCredentials, useTemporaryDirectory } from './backends.ts';

/** Live (non-zombie) processes whose working directory is `dir`: moto runs in its state dir, so these are its strays. */
async function processesIn(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || !isAlive(pid)) continue;
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
    if (cwd === dir) found.push(pid);
  }
  return found;
}

async function runningPid(stateDir: string): Promise<number> {
  const status = await motoStatus({ stateDir });
  if (!status?.running) throw new Error(`no running moto in ${stateDir}`);
  return status.pid;
}

/** A second Node process that calls ensureMoto and keeps its hold until killed. */
async function holdMotoInAnotherProcess(stateDir: string): Promise<{ process: ChildProcess; endpoint: string }> {
  const script = `
    const { ensureMoto } = await import(process.argv[1]);
    const moto = await ensureMoto({ stateDir: process.argv[2] });
    console.log(moto.endpoint);
    setInterval(() => {}, 60_000);`;
  const motoModule = new URL('../../../devenv/moto.ts', import.meta.url).href;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, motoModule, stateDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { process: child, endpoint: line.toString().trim() };
}

async function endpointAnswers(endpoint: string): Promise<boolean> {
  return fetch(`${endpoint}/moto-api/config`, { signal: AbortSignal.timeout(2_000) }).then(
    () => true,
    () => false,
  );
}

describe('moto lifecycle', () => {
  const temporaryDirectory = useTemporaryDirectory('flotilla-moto');
  let stateDir: string;
  beforeEach(() => {
    stateDir = temporaryDirectory();
  });
  afterEach(async () => {
    await stopMoto({ stateDir });
  });

  test('ensureMoto starts a detached moto, reuses it, and stop() leaves no process behind', async () => {
    const first = await ensureMoto({ stateDir });
    expect(first.startedHere).toBe(true);
    const pid = await runningPid(stateDir);
    expect(await processesIn(stateDir)).toEqual([pid]);

    const second = await ensureMoto({ stateDir });
    expect(second).toMatchObject({ startedHere: false, endpoint: first.endpoint });

    await first.stop();
    expect(isAlive(pid)).toBe(false);
    expect(await processesIn(stateDir)).toEqual([]);
    expect(await endpointAnswers(first.endpoint)).toBe(false);
    expect(await motoStatus({ stateDir })).toBeUndefined();
  });

  test('concurrent callers share one moto: exactly one of them starts it', async () => {
    const handles = await Promise.all([ensureMoto({ stateDir }), ensureMoto({ stateDir }), ensureMoto({ stateDir })]);
    expect(handles.filter((handle) => handle.startedHere)).toHaveLength(1);
    expect(new Set(handles.map((handle) => handle.endpoint)).size).toBe(1);
    expect(await processesIn(stateDir)).toEqual([await runningPid(stateDir)]);
  });

  test('stop() by the run that started moto leaves it running while another live process holds it', async () => {
    const starter = await ensureMoto({ stateDir });
    expect(starter.startedHere).toBe(true);
    const pid = await runningPid(stateDir);
    const other = await holdMotoInAnotherProcess(stateDir);
    try {
      expect(other.endpoint).toBe(starter.endpoint);
      await starter.stop();
      expect(await runningPid(stateDir)).toBe(pid);
    } finally {
      other.process.kill();
      await once(other.process, 'exit');
    }

    // The other holder died without letting go; the next last holder's stop() ends it.
    const last = await ensureMoto({ stateDir });
    expect(last.startedHere).toBe(false);
    await last.stop();
    expect(isAlive(pid)).toBe(false);
    expect(await processesIn(stateDir)).toEqual([]);
  });

  test('a moto from a crashed run that no longer answers on its recorded endpoint is killed and replaced', async () => {
    await ensureMoto({ stateDir });
    const hungPid = await runningPid(stateDir);
    // As if the run died after moving on: the recorded endpoint no longer leads to this process.
    const statePath = join(stateDir, 'state.json');
    const state: unknown = JSON.parse(await readFile(statePath, 'utf8'));
    // Port 1 (tcpmux) is never an ephemeral port, and nothing listens there on these machines.
    await writeFile(statePath, JSON.stringify({ ...(state as object), port: 1, endpoint: 'http://127.0.0.1:1' }));

    const replacement = await ensureMoto({ stateDir });
    expect(replacement.startedHere).toBe(true);
    expect(isAlive(hungPid)).toBe(false);
    expect(await processesIn(stateDir)).toEqual([await runningPid(stateDir)]);
  });

  test('a state file naming a dead process is discarded and a fresh moto started', async () => {
    const first = await ensureMoto({ stateDir });
    const deadPid = await runningPid(stateDir);
    const statePath = join(stateDir, 'state.json');
    const staleState = await readFile(statePath, 'utf8');
    await first.stop();
    await writeFile(statePath, staleState);

    const fresh = await ensureMoto({ stateDir });
    expect(fresh.startedHere).toBe(true);
    expect(await runningPid(stateDir)).not.toBe(deadPid);
  });
});

describe('KMS on the shared moto', () => {
  useFakeAwsCredentials();

  test('a key encrypts and decrypts a kubeconfig-sized secret', async () => {
    const { kms } = createAwsClients({ region: 'us-east-1', kmsEndpoint: inject('motoEndpoint') });
    try {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'flotilla test key' }));
      const secret = new TextEncoder().encode('apiVersion: v1\nkind: Config\n'.repeat(100));
      const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: KeyMetadata?.KeyId, Plaintext: secret }));
      expect(Buffer.from(CiphertextBlob!).equals(Buffer.from(secret))).toBe(false);
      const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob }));
      expect(Buffer.from(Plaintext!).equals(Buffer.from(secret))).toBe(true);
    } finally {
      kms.destroy();
    }
  });
});
