import { readFileSync } from 'node:fs';
import picocolors from 'picocolors';

export type Colors = ReturnType<typeof picocolors.createColors>;

/** What a command talks to; tests pass their own to capture output and serve files. */
export interface Terminal {
  /** Data only: what a script would pipe on. */
  stdout(text: string): void;
  /** Errors and notes for people. */
  stderr(text: string): void;
  /** Reads a file, or standard input for `-`. */
  readText(path: string): string;
  colors: Colors;
}

export const processTerminal: Terminal = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readText: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
  colors: picocolors.createColors(process.stdout.isTTY === true && !('NO_COLOR' in process.env)),
};
