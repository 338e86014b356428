/** Reading an MQTT payload: JSON object properties, or the text kept whole. */

/** The payload as event properties, or why it cannot be one. */
export type ParsedPayload = { properties: Record<string, unknown> } | { rejected: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A JSON object becomes the properties as sent. Anything else that is text (a bare number
 * `21.5`, `OK`, a JSON array) is kept as `{ payload: "<text>" }`, exactly as sent: never
 * re-typed, so `21.50` stays `21.50`. A payload that is not UTF-8 text (binary) is rejected.
 */
export function parsePayload(payload: Uint8Array): ParsedPayload {
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return { rejected: `the payload is not UTF-8 text (${payload.length} bytes of binary)` };
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (value && typeof value === 'object' && !Array.isArray(value))
        return { properties: value as Record<string, unknown> };
    } catch {
      // Not JSON after all: kept as text below.
    }
  }
  return { properties: { payload: text } };
}

/** The value at a dotted path (`meta.id`) of the properties, if any. */
export function fieldValue(properties: Record<string, unknown>, path: string): unknown {
  let value: unknown = properties;
  for (const key of path.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
