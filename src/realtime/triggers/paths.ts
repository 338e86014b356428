/** Reading a dotted path (`context.page.path`) out of an event or profile object. */

/** The value at `path` (dot-separated) inside `root`, or undefined when any step is missing. */
export function valueAt(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const step of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[step];
  }
  return node;
}
