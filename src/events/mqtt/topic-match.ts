/** MQTT topic filters: `+` matches one level, a trailing `#` the level it sits on and all below. */

/** Whether `topic` (as published) matches `filter` (as subscribed). */
export function topicMatches(filter: string, topic: string): boolean {
  const filterLevels = filter.split('/');
  const topicLevels = topic.split('/');
  // Topics starting with `$` (broker internals) never match a filter starting with a wildcard.
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  for (let index = 0; index < filterLevels.length; index++) {
    const level = filterLevels[index];
    if (level === '#') return true;
    if (index >= topicLevels.length) return false;
    if (level !== '+' && level !== topicLevels[index]) return false;
  }
  return filterLevels.length === topicLevels.length;
}

/**
 * The filter a message was subscribed through: a shared subscription `$share/group/f` matches
 * messages on `f`.
 */
export function plainFilter(filter: string): string {
  const shared = /^\$share\/[^/]+\/(.*)$/.exec(filter);
  return shared ? (shared[1] as string) : filter;
}
