import type { QueryView } from '../contract/query-schemas.ts';
import type { ApiClient } from './client/api-client.ts';
import type { CliEnvironment } from './environment.ts';

/** How long the CLI keeps reading a query the API answered with 202 before printing what it has. */
export const queryPollMs = 60_000;

/** Reads the query again until every cluster answered or `timeoutMs` passed; the answer as it stands then. */
export async function untilAnswered<V extends QueryView>(client: ApiClient, view: V, clock: CliEnvironment['clock'], timeoutMs = queryPollMs): Promise<V> {
  let current = view;
  const deadline = clock.now() + timeoutMs;
  while (!current.done && clock.now() < deadline) {
    await clock.sleep(1000);
    current = { ...current, ...(await client.query(current.namespace, current.id)) };
  }
  return current;
}
