import { describe, expect, it } from 'vitest';
import packageJson from '../../../package.json' with { type: 'json' };
import { wantsColor } from '../../../cli/output/terminal.ts';
import { runCli } from './cli-harness.ts';

/** The subcommand names a help screen lists under Commands:, without `help`. */
function subcommands(help: string): string[] {
  const section = help.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}([a-z-]+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== 'help');
}

async function everyCommand(path: string[] = []): Promise<{ path: string[]; help: string }[]> {
  const { code, stdout, stderr } = await runCli([...path, '--help']);
  expect({ path, code, stderr }).toEqual({ path, code: 0, stderr: '' });
  const nested = await Promise.all(subcommands(stdout).map((name) => everyCommand([...path, name])));
  return [{ path, help: stdout }, ...nested.flat()];
}

describe('every command', () => {
  it('has --help on stdout, exit 0, ending with examples of itself', async () => {
    const commands = await everyCommand();
    expect(commands.map((command) => command.path.join(' '))).toEqual([
      '',
      'login',
      'cluster',
      'cluster join',
      'cluster list',
      'cluster labels',
      'cluster labels add',
      'cluster labels del',
      'cluster namespaces',
      'cluster detach',
      'cluster rename',
      'cluster probe',
      'up',
      'status',
      'ls',
      'revisions',
      'revision',
      'revision get',
      'delete',
      'workflow',
      'workflow suspend',
      'workflow resume',
      'workflow terminate',
      'workflow restart',
      'workflow rollback',
      'trigger',
      'trigger add',
      'trigger list',
      'trigger rm',
      'notify',
      'notify set',
      'notify get',
      'notify rm',
      'token',
      'token create',
      'token list',
      'token revoke',
      'dry-run',
      'diff',
      'logs',
    ]);
    for (const { path, help } of commands) {
      expect(help, path.join(' ')).toMatch(/\nExamples:\n(?: {2}# .*\n)? {2}\$ flotilla /);
      expect(help, path.join(' ')).toContain(`$ flotilla ${path.join(' ')}`.trimEnd());
    }
  });
});

describe('exit codes', () => {
  it.each([
    [[], 'Usage: flotilla'],
    [['deploy'], "error: unknown command 'deploy'"],
    [['cluster'], 'Usage: flotilla cluster'],
    [['cluster', 'join'], "error: missing required argument 'kubeconfig'"],
    [['cluster', 'labels', 'add', 'us-west-1'], "error: missing required argument 'labels'"],
    [['cluster', 'labels', 'add', 'us-west-1', 'provider'], 'label "provider" must be key=value'],
    [['cluster', 'labels', 'del', 'us-west-1', 'provider=AWS'], 'is not a label key'],
    [['status'], "error: missing required argument 'name'"],
    [['status', 'example-app', '-o', 'table'], "argument 'table' is invalid. Allowed choices are json, yaml."],
    [['up'], 'error: give either -f FILE (submit an Application) or -r APP-vN (run a stored revision again)'],
    [['up', '-r', 'example-app'], 'is no revision name: give it as APP-vN'],
    [['revision', 'get'], "error: missing required argument 'revision'"],
    [['up', '-f', 'x.yaml', '--timeout', 'soon'], '"soon" is not a positive duration such as 90s, 5m or 1h30m'],
    [['workflow', 'pause', 'example-app'], "error: unknown command 'pause'"],
    [['login', '--endpoint', 'http://x'], "error: required option '--token <token>' not specified"],
    [['ls', '--all'], "error: unknown option '--all'"],
  ])('2 for a usage error, with the reason and a pointer to --help: %j', async (argv, message) => {
    const { code, stdout, stderr } = await runCli(argv);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain(message);
  });

  it('0 for --version, on stdout', async () => {
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });
});

describe('colours', () => {
  it('only on a terminal, never with a non-empty NO_COLOR or TERM=dumb', () => {
    const tty = { isTTY: true };
    expect(wantsColor(tty, {})).toBe(true);
    expect(wantsColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: '' })).toBe(true);
    expect(wantsColor(tty, { TERM: 'dumb' })).toBe(false);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({}, {})).toBe(false);
  });
});
