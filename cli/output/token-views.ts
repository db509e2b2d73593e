import type { Token } from '../client/api-client.ts';
import { renderTable } from './table.ts';

/** `flotilla token list`: one row per token, newest state first as the API lists them; never the token itself. */
export function tokenTable(tokens: readonly Token[]): string {
  const rows = tokens.map((token) => [
    token.id,
    token.name,
    token.role,
    token.namespaces.length === 0 ? 'all' : token.namespaces.join(','),
    clusterScope(token.clusters),
    token.state,
    token.expiresAt === undefined ? 'never' : instant(token.expiresAt),
    token.lastUsedAt === undefined ? 'never' : instant(token.lastUsedAt),
  ]);
  return renderTable([['ID', 'NAME', 'ROLE', 'NAMESPACES', 'CLUSTERS', 'STATE', 'EXPIRES', 'LAST USED'], ...rows]);
}

/** `beijing-1,beijing-2` and/or `team=a`, joined by `or`: the clusters a token may place on. */
function clusterScope(clusters: Token['clusters']): string {
  if (clusters === undefined) return 'all';
  const parts: string[] = [];
  if (clusters.names !== undefined && clusters.names.length > 0) parts.push(clusters.names.join(','));
  const labels = Object.entries(clusters.selector ?? {}).map(([key, value]) => `${key}=${value}`);
  if (labels.length > 0) parts.push(labels.join(','));
  return parts.join(' or ');
}

/** To the minute, in UTC: what lastUsedAt is precise to. */
function instant(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')}Z`;
}

/** What `token create` prints: the token once, on a line of its own, and that it is not shown again. */
export function createdTokenMessage(created: Token & { token: string }): string {
  const limits = [
    `role ${created.role}`,
    created.namespaces.length === 0 ? undefined : `namespaces ${created.namespaces.join(', ')}`,
    created.clusters === undefined ? undefined : `clusters ${clusterScope(created.clusters)}`,
    created.expiresAt === undefined ? 'never expires' : `expires ${instant(created.expiresAt)}`,
  ].filter((part) => part !== undefined);
  return [
    `Token ${created.id} (${created.name}) created: ${limits.join(', ')}.`,
    '',
    `  ${created.token}`,
    '',
    'This token is shown only once: store it now (flotilla login --token <token>, or a CI secret). Only its hash is kept.',
    `Revoke it with: flotilla token revoke ${created.id}`,
    '',
  ].join('\n');
}

export function revokedTokenMessage(token: Token): string {
  return `Token ${token.id} (${token.name}) revoked at ${token.revokedAt ?? 'an earlier time'}; it answers 401 from now on.\n`;
}
