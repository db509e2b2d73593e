/** The words of anything thrown: an Error's message, or the value itself as text (a rejected string, a number). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
