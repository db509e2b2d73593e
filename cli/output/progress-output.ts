import type { Colors } from '../../lib/core/status/render-status-text.ts';
import { displayWidth } from './table.ts';
import type { ProgressLine } from './wait-progress.ts';

/** Where `up --wait` shows progress: on stderr, redrawn in place on a terminal, line by line otherwise. */
export interface ProgressOutput {
  show(lines: readonly ProgressLine[], elapsedMs: number): void;
  /** The last picture; on a terminal it stays on screen, marked with the outcome. */
  end(lines: readonly ProgressLine[], elapsedMs: number, outcome: 'succeeded' | 'failed'): void;
}

/**
 * For logs and pipes: a line each time something's text changes (a step's phase, a cluster's readiness), never the
 * same line twice in a row, no cursor movement and no colour.
 */
export function plainProgress(write: (text: string) => void): ProgressOutput {
  const shown = new Map<string, string>();
  const show = (lines: readonly ProgressLine[]) => {
    let text = '';
    for (const line of lines) {
      if (shown.get(line.key) === line.text) continue;
      shown.set(line.key, line.text);
      text += `${line.text}\n`;
    }
    if (text !== '') write(text);
  };
  return { show, end: show };
}

const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Cursor up `n` lines, to the start of the line, and clear from there to the end of the screen. */
export function redraw(height: number): string {
  return height === 0 ? '' : `\u001b[${height}A\r\u001b[J`;
}

/**
 * For a terminal: one block that is redrawn in place on every poll (application line with a spinner and the elapsed
 * time, then each step and each cluster with a mark for its state). Lines are cut to the terminal's width, since a
 * wrapped line would break the count of lines to move up by.
 */
export function liveProgress(write: (text: string) => void, options: { columns: number; colors: Colors }): ProgressOutput {
  const { colors } = options;
  const width = Math.max(20, options.columns - 1);
  let height = 0;
  let frame = 0;
  const marks: Record<ProgressLine['state'], string> = {
    active: colors.yellow('•'),
    paused: colors.cyan('‖'),
    done: colors.green('✔'),
    failed: colors.red('✘'),
  };

  const draw = (lines: readonly ProgressLine[], elapsedMs: number, head: string) => {
    const [first, ...rest] = lines;
    const rows = [
      `${head} ${fit(`${first?.text ?? ''}  ${elapsed(elapsedMs)}`, width - 2)}`,
      ...rest.map((line) => `  ${marks[line.state]} ${fit(line.text, width - 4)}`),
    ];
    write(`${redraw(height)}${rows.map((row) => `${row}\n`).join('')}`);
    height = rows.length;
  };
  return {
    show: (lines, elapsedMs) => draw(lines, elapsedMs, colors.yellow(spinner[frame++ % spinner.length] ?? '•')),
    end: (lines, elapsedMs, outcome) => draw(lines, elapsedMs, outcome === 'succeeded' ? marks.done : marks.failed),
  };
}

/** Cut to `width` terminal columns, with an ellipsis when cut. */
export function fit(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let cut = '';
  for (const char of text) {
    if (displayWidth(cut + char) > width - 1) break;
    cut += char;
  }
  return `${cut}…`;
}

/** `7s`, `1m05s`, `1h02m`: short enough for the progress line. */
export function elapsed(milliseconds: number): string {
  const seconds = Math.floor(Math.max(0, milliseconds) / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
