import { createHash } from 'node:crypto';
import type { MqttConfig } from '../../config/schemas/mqtt.js';

/**
 * The configured client id, or one derived from the broker URL and topic filters: stable
 * across restarts (so the broker keeps the session and its queued QoS 1 messages for weft).
 */
export function clientIdOf(config: MqttConfig): string {
  if (config.client_id) return config.client_id;
  const hash = createHash('sha256').update(config.url);
  for (const topic of config.topics) hash.update(`\0${topic.topic}`);
  return `weft-${hash.digest('hex').slice(0, 12)}`;
}
