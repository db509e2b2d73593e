import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fetch } from './client/api-client.ts';
import type { Env } from './client/cli-config.ts';
import type { Clock } from './wait-for.ts';

/** Everything beyond the terminal a command depends on; tests hand in their own. */
export interface CliEnvironment {
  env: Env;
  home: string;
  fetch: Fetch;
  clock: Clock & { date(): Date };
  /** Files a kubeconfig refers to (certificates, keys, token files). */
  readBytes(path: string): Uint8Array;
}

export const processEnvironment: CliEnvironment = {
  env: process.env,
  home: homedir(),
  fetch: (url, init) => fetch(url, init),
  clock: { now: () => Date.now(), date: () => new Date(), sleep: (ms) => sleep(ms) },
  readBytes: (path) => readFileSync(path),
};
