/** One JSON line per event, as CloudWatch Logs Insights reads them. Never pass secrets here. */
export function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...fields });
  if (level === 'error') console.error(line);
  else if (process.env.FLOTILLA_QUIET !== '1') console.log(line);
}
