/** The collector's counters and gauges, rendered in Prometheus' text exposition format. */

type Labels = Record<string, string>;

/** A small metrics registry: monotonically increasing counters and sampled gauges. */
export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly gauges = new Map<string, { help: string; read: () => Promise<number> | number }>();

  /** Adds `by` to counter `name` with `labels`. */
  count(name: string, help: string, labels: Labels = {}, by = 1): void {
    let counter = this.counters.get(name);
    if (!counter) {
      counter = { help, values: new Map() };
      this.counters.set(name, counter);
    }
    const key = labelText(labels);
    counter.values.set(key, (counter.values.get(key) ?? 0) + by);
  }

  /** A gauge read when metrics are scraped. */
  gauge(name: string, help: string, read: () => Promise<number> | number): void {
    this.gauges.set(name, { help, read });
  }

  /** The current value of a counter (0 when never counted), for tests and summaries. */
  value(name: string, labels: Labels = {}): number {
    return this.counters.get(name)?.values.get(labelText(labels)) ?? 0;
  }

  /** Prometheus text format 0.0.4. */
  async render(): Promise<string> {
    const lines: string[] = [];
    for (const [name, counter] of this.counters) {
      lines.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`);
      for (const [labels, value] of counter.values) lines.push(`${name}${labels} ${value}`);
    }
    for (const [name, gauge] of this.gauges) {
      lines.push(`# HELP ${name} ${gauge.help}`, `# TYPE ${name} gauge`, `${name} ${await gauge.read()}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const escaped = entries.map(
    ([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`,
  );
  return `{${escaped.join(',')}}`;
}
