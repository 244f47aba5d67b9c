/**
 * A small Prometheus registry: counters and histograms with labels, rendered in the text
 * exposition format (version 0.0.4). Enough for /metrics without a dependency.
 */
type Labels = Record<string, string>;

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function key(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escape(labels[k] ?? '')}"`)
    .join(',');
}

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, v] of this.values) lines.push(`${this.name}${k ? `{${k}}` : ''} ${v}`);
    return lines;
  }
}

export class Histogram {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[] = DEFAULT_BUCKETS,
  ) {}
  observe(labels: Labels, seconds: number): void {
    const k = key(labels);
    const s = this.series.get(k) ?? { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((le, i) => {
      if (seconds <= le) s.counts[i]++;
    });
    s.sum += seconds;
    s.count++;
    this.series.set(k, s);
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.series) {
      const prefix = k ? `${k},` : '';
      this.buckets.forEach((le, i) => lines.push(`${this.name}_bucket{${prefix}le="${le}"} ${s.counts[i]}`));
      lines.push(`${this.name}_bucket{${prefix}le="+Inf"} ${s.count}`);
      lines.push(`${this.name}_sum${k ? `{${k}}` : ''} ${s.sum}`);
      lines.push(`${this.name}_count${k ? `{${k}}` : ''} ${s.count}`);
    }
    return lines;
  }
}

/** Helpline's metrics: turns, turn latency and errors, HTTP requests, database command timings. */
export class MetricsRegistry {
  readonly turns = new Counter('helpline_turns_total', 'Bot turns handled, by channel and activity type.');
  readonly turnErrors = new Counter('helpline_turn_errors_total', 'Bot turns that failed, by channel.');
  readonly turnSeconds = new Histogram('helpline_turn_duration_seconds', 'Time to handle a bot turn.');
  readonly httpSeconds = new Histogram(
    'helpline_http_request_duration_seconds',
    'HTTP request durations, by method, route area and status class.',
  );
  readonly dbSeconds = new Histogram(
    'helpline_db_command_duration_seconds',
    'Database command durations, by command name and outcome.',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );

  render(): string {
    return `${[this.turns, this.turnErrors, this.turnSeconds, this.httpSeconds, this.dbSeconds]
      .flatMap((m) => m.render())
      .join('\n')}\n`;
  }
}
