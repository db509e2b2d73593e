import { apiClient, type ApiClient, type Fetch } from './api-client.ts';
import { configPath, readConfig, resolveSettings, type CliSettings, type Env } from './cli-config.ts';

export interface Connection {
  client: ApiClient;
  settings: CliSettings & { endpoint: string };
}

/** The settings in force: FLOTILLA_ENDPOINT, FLOTILLA_TOKEN and FLOTILLA_NAMESPACE over the saved config. */
export function currentSettings(env: Env, home: string): CliSettings {
  const path = configPath(env, home);
  return resolveSettings(env, path, readConfig(path));
}

/** A client for the configured API; without an endpoint, says how to configure one. */
export function connect(env: Env, home: string, fetch: Fetch): Connection {
  const settings = currentSettings(env, home);
  const { endpoint } = settings;
  if (endpoint === undefined) {
    throw new Error(`no Flotilla API configured: run flotilla login --endpoint URL --token TOKEN (saved in ${settings.configPath}), or set FLOTILLA_ENDPOINT and FLOTILLA_TOKEN`);
  }
  return { client: apiClient({ endpoint, token: settings.token, fetch }), settings: { ...settings, endpoint } };
}
