import { readFileSync } from 'node:fs';
import picocolors from 'picocolors';

export type Colors = ReturnType<typeof picocolors.createColors>;

/** What a command talks to; tests pass their own to capture output and serve files. */
export interface Terminal {
  /** Data only: what a script would pipe on. */
  stdout(text: string): void;
  /** Errors, notes and progress for people. */
  stderr(text: string): void;
  /** Reads a file, or standard input for `-`. */
  readText(path: string): string;
  /** Colours for stdout: on only when stdout is a terminal and NO_COLOR is not set. */
  colors: Colors;
  /** Colours for stderr, by the same rule applied to stderr. */
  errorColors: Colors;
  /** The width of stderr when it is a terminal that can redraw progress in place; undefined for pipes and files. */
  liveColumns: number | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

/** https://no-color.org: a non-empty NO_COLOR turns colour off; so do a stream that is not a terminal and TERM=dumb. */
export function wantsColor(stream: { isTTY?: boolean }, env: Env): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? '') === '' && env.TERM !== 'dumb';
}

export const processTerminal: Terminal = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readText: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
  colors: picocolors.createColors(wantsColor(process.stdout, process.env)),
  errorColors: picocolors.createColors(wantsColor(process.stderr, process.env)),
  liveColumns: process.stderr.isTTY === true && process.env.TERM !== 'dumb' ? process.stderr.columns || 80 : undefined,
};
