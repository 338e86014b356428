/**
 * Masks the values inside a rejection reason, so reasons that differ only by the rejected
 * value (one per bad email) group into one line per rule: `Email "ann@x" is invalid` and
 * `Email "bob@y" is invalid` both become `Email "…" is invalid`. Used by `weft runs`, the
 * sync summary and the console; the stored reason keeps the vendor's full message.
 */
export function maskReason(reason: string): string {
  return (
    reason
      // quoted values: "…", '…', `…`, “…”
      .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
      .replace(/'(?:[^'\\]|\\.)*'/g, "'…'")
      .replace(/`[^`]*`/g, '`…`')
      .replace(/“[^”]*”/g, '“…”')
      // bare emails, URLs, UUIDs / long hex ids
      .replace(/[^\s"'<>(),;:]+@[^\s"'<>(),;]+\.[^\s"'<>(),;]+/g, '<email>')
      .replace(/\bhttps?:\/\/[^\s"'<>]+/g, '<url>')
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
      .replace(/\b[0-9a-f]{16,}\b/gi, '<id>')
      // phone-like and long numbers (record ids, values); short numbers (HTTP codes, limits) stay
      .replace(/\+?\d[\d\s().-]{5,}\d/g, '<number>')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
