/** Reads a nested field of parsed JSON without trusting its shape: `readField(deployment, 'status', 'readyReplicas')`. */
export function readField(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export function readNumber(value: unknown, ...path: (string | number)[]): number | undefined {
  const field = readField(value, ...path);
  return typeof field === 'number' ? field : undefined;
}

export function readString(value: unknown, ...path: (string | number)[]): string | undefined {
  const field = readField(value, ...path);
  return typeof field === 'string' ? field : undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
