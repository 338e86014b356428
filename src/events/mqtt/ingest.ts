/** The running MQTT subscription behind `startMqttIngest` (see index.ts). */
import type { IPublishPacket, MqttClient } from 'mqtt';
import type { MqttConfig, MqttTopicConfig } from '../../config/schemas/mqtt.js';
import type { EventLog } from '../types.js';
import { AckQueue } from './ack-queue.js';
import type { ReceivedMessage } from './map-message.js';
import { plainFilter, topicMatches } from './topic-match.js';

/** Tells mqtt.js not to send the PUBACK itself: we send it once the message is durable. */
const DEFERRED = new Error('acknowledged once durable');

/** mqtt.js sends PUBACK after `handleMessage` and offers no public way to send it later. */
interface PacketSender {
  _sendPacket(packet: { cmd: 'puback'; messageId: number }, callback?: () => void): void;
}

/** Reports of a running ingestion. */
export interface IngestHooks {
  onError?: (error: Error) => void;
}

/** Routes broker messages through the AckQueue and keeps the PUBACKs honest. */
export class MqttIngestion {
  private readonly queue: AckQueue;
  /** Counts connections: a PUBACK is only sent on the connection its message came on. */
  private connection = 0;

  constructor(
    private readonly client: MqttClient,
    private readonly config: MqttConfig,
    log: EventLog,
    private readonly hooks: IngestHooks,
  ) {
    this.queue = new AckQueue(log, {
      onRejected: (message, reason) => this.report(rejection(message, reason)),
      onAppendFailed: (error, connection) => this.appendFailed(error, connection),
    });
    client.on('connect', () => {
      this.connection += 1;
    });
    client.on('error', (error) =>
      this.report(new Error(`MQTT broker ${shownUrl(config.url)}: ${error.message}`)),
    );
    client.handleMessage = (packet, callback) => this.handle(packet, callback);
  }

  get received(): number {
    return this.queue.appended;
  }

  get rejected(): number {
    return this.queue.rejected;
  }

  /** Lets what is in flight land, then disconnects (the broker keeps the session). */
  async close(): Promise<void> {
    await this.queue.idle();
    await this.client.endAsync();
  }

  private handle(packet: IPublishPacket, callback: (error?: Error) => void): void {
    const topic = packet.topic;
    const mapping = this.mappingFor(topic);
    if (!mapping) {
      callback(); // left in the broker's session by an older config: acknowledged and ignored
      return;
    }
    const connection = this.connection;
    const packetId = packet.messageId;
    const ack =
      packet.qos > 0 && packetId !== undefined
        ? () => {
            if (connection === this.connection)
              (this.client as unknown as PacketSender)._sendPacket({ cmd: 'puback', messageId: packetId });
          }
        : undefined;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    this.queue.push({ topic, payload, packetId, receivedAt: new Date(), mapping, ack, connection });
    callback(ack ? DEFERRED : undefined);
  }

  private mappingFor(topic: string): MqttTopicConfig | undefined {
    return this.config.topics.find((t) => topicMatches(plainFilter(t.topic), topic));
  }

  /** The log refused: reconnect, so the broker delivers what we did not acknowledge again. */
  private appendFailed(error: Error, connection: number): void {
    this.report(
      new Error(
        `MQTT messages not acknowledged, the broker delivers them again: the event log refused them (${error.message})`,
      ),
    );
    if (connection !== this.connection) return;
    this.connection += 1; // no PUBACK for anything of the dropped connection
    this.queue.dropConnection(connection);
    this.client.stream.destroy(); // mqtt.js reconnects after reconnectPeriod; the session resumes
  }

  private report(error: Error): void {
    this.hooks.onError?.(error);
  }
}

function rejection(message: ReceivedMessage, reason: string): Error {
  return new Error(`MQTT message on ${message.topic} dropped: ${reason}`);
}

/** The broker URL without credentials. */
export function shownUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
