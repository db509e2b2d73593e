import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import * as z from 'zod';
import { dnsLabel } from '../../lib/core/application/dns-name.ts';
import { errorMessage } from '../../lib/core/errors/error-message.ts';

/** What `flotilla login` stores. */
export const CliConfig = z.strictObject({
  endpoint: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
  token: z.string().min(1),
  /** The namespace commands use without `-n` (vela's env namespace). */
  namespace: dnsLabel('namespace').optional(),
});
export type CliConfig = z.infer<typeof CliConfig>;

/** Where the API is and who calls it: the environment first, then the config file, then defaults. */
export interface CliSettings {
  endpoint: string | undefined;
  token: string | undefined;
  namespace: string;
  /** Where each value came from, for error messages. */
  configPath: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * `$FLOTILLA_CONFIG`, else the user's config dir: `$XDG_CONFIG_HOME/flotilla/config.yaml`, `~/.config/flotilla/config.yaml`,
 * or `%APPDATA%\flotilla\config.yaml` on Windows.
 */
export function configPath(env: Env, home: string, platform: NodeJS.Platform = process.platform): string {
  if (nonEmpty(env.FLOTILLA_CONFIG)) return env.FLOTILLA_CONFIG;
  if (platform === 'win32' && nonEmpty(env.APPDATA)) return join(env.APPDATA, 'flotilla', 'config.yaml');
  const base = nonEmpty(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(base, 'flotilla', 'config.yaml');
}

/** The saved config; undefined when there is none yet. A file that is there but unreadable or malformed is an error. */
export function readConfig(path: string): CliConfig | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
    throw err;
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new Error(`${path} is not valid YAML (${(errorMessage(err)).split('\n')[0]}); run flotilla login again`);
  }
  const parsed = CliConfig.safeParse(raw);
  if (!parsed.success) throw new Error(`${path} is not a flotilla config; run flotilla login again:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * Writes the config readable by its owner only (0600, directory 0700), through a temporary file renamed into place,
 * so a crash never leaves half a token behind and an older, looser file mode does not survive.
 */
export function writeConfig(path: string, config: CliConfig): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, stringify(CliConfig.parse(config)), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

export function resolveSettings(env: Env, path: string, config: CliConfig | undefined): CliSettings {
  return {
    endpoint: nonEmpty(env.FLOTILLA_ENDPOINT) ? env.FLOTILLA_ENDPOINT : config?.endpoint,
    token: nonEmpty(env.FLOTILLA_TOKEN) ? env.FLOTILLA_TOKEN.trim() : config?.token,
    namespace: nonEmpty(env.FLOTILLA_NAMESPACE) ? env.FLOTILLA_NAMESPACE : (config?.namespace ?? 'default'),
    configPath: path,
  };
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}
