import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import * as v from '../core/validators';

/** A prometheus-adapter discovery rule (`rules`/`externalRules` entry of its config.yaml). */
export interface AdapterRule {
  readonly seriesQuery: string;
  readonly resources: { readonly overrides: Record<string, { readonly resource: string }> };
  readonly name: { readonly matches: string; readonly as: string };
  readonly metricsQuery: string;
}

/** Which Kubernetes object a custom metric describes. */
export type MetricSubject = 'pod' | 'service' | 'external';

/** Definition of a metric the Prometheus adapter derives from Prometheus series. */
export interface PrometheusMetricDefinition {
  /** The name HPAs use, e.g. "http_requests_per_second". */
  readonly name: string;
  /** `pod` (Pods metric, averaged over pods), `service` (Object metric of the Service) or `external`. */
  readonly subject: MetricSubject;
  /** Series the adapter discovers, e.g. `http_requests_total{namespace!="",pod!=""}`. */
  readonly seriesQuery: string;
  /** Regex on the series name (the `name.matches` of the rule). */
  readonly seriesName: string;
  /** PromQL with the adapter's templates (`<<.Series>>`, `<<.LabelMatchers>>`, `<<.GroupBy>>`). */
  readonly metricsQuery: string;
}

/**
 * A custom metric and the prometheus-adapter rule that produces it. HPAs reference metrics
 * through these objects, never by bare name, so the app always emits the rule for every metric
 * an HPA uses: an HPA can never wait on a metric nobody produces.
 */
export class PrometheusMetric {
  /** Request rate per pod from a counter (default `http_requests_total`) → `http_requests_per_second`. */
  public static httpRequestsPerSecond(options: { counter?: string; window?: string } = {}): PrometheusMetric {
    options = factoryOptions('PrometheusMetric.httpRequestsPerSecond', options, ['counter', 'window']);
    const counter = options.counter ?? 'http_requests_total';
    return new PrometheusMetric({
      name: counter.replace(/_total$/, '_per_second'),
      subject: 'pod',
      seriesQuery: `${counter}{namespace!="",pod!=""}`,
      seriesName: `^${counter}$`,
      metricsQuery: `sum(rate(<<.Series>>{<<.LabelMatchers>>}[${options.window ?? '2m'}])) by (<<.GroupBy>>)`,
    });
  }

  /**
   * A latency quantile of the Service from a histogram (default P95 of
   * `http_request_duration_seconds`) → `http_request_duration_seconds_0_95`, in seconds.
   */
  public static latencyQuantile(options: { quantile?: number; histogram?: string; window?: string } = {}): PrometheusMetric {
    options = factoryOptions('PrometheusMetric.latencyQuantile', options, ['histogram', 'window']);
    const q = v.number('PrometheusMetric.latencyQuantile', 'options.quantile', options.quantile ?? 0.95, 0, 1, 'a quantile between 0 and 1, e.g. 0.95');
    const histogram = options.histogram ?? 'http_request_duration_seconds';
    return new PrometheusMetric({
      name: `${histogram}_${String(q).replace('.', '_')}`,
      subject: 'service',
      seriesQuery: `${histogram}_bucket{namespace!="",service!=""}`,
      seriesName: `^${histogram}_bucket$`,
      metricsQuery: `histogram_quantile(${q}, sum(rate(<<.Series>>{<<.LabelMatchers>>}[${options.window ?? '5m'}])) by (le, <<.GroupBy>>))`,
    });
  }

  /** Share of 5xx responses of the Service (0–1) → `http_error_rate`. */
  public static errorRate(options: { counter?: string; statusLabel?: string; window?: string } = {}): PrometheusMetric {
    options = factoryOptions('PrometheusMetric.errorRate', options, ['counter', 'statusLabel', 'window']);
    const counter = options.counter ?? 'http_requests_total';
    const status = options.statusLabel ?? 'status';
    const w = options.window ?? '5m';
    return new PrometheusMetric({
      name: 'http_error_rate',
      subject: 'service',
      seriesQuery: `${counter}{namespace!="",service!=""}`,
      seriesName: `^${counter}$`,
      metricsQuery: `sum(rate(<<.Series>>{<<.LabelMatchers>>,${status}=~"5.."}[${w}])) by (<<.GroupBy>>) / sum(rate(<<.Series>>{<<.LabelMatchers>>}[${w}])) by (<<.GroupBy>>)`,
    });
  }

  /** Any metric, defined in full. */
  public static custom(definition: PrometheusMetricDefinition): PrometheusMetric {
    v.object('PrometheusMetric.custom', 'definition', definition, 'a PrometheusMetricDefinition { name, subject, seriesQuery, seriesName, metricsQuery }');
    return new PrometheusMetric(definition);
  }

  private constructor(public readonly definition: PrometheusMetricDefinition) {}

  /** The metric's name, as HPAs reference it. */
  public get name(): string {
    return this.definition.name;
  }

  /** Checks the definition; `field` says where it was given. */
  public validate(scope: IConstruct, field: string): void {
    const d = v.object(scope, field, this.definition, 'a PrometheusMetricDefinition');
    for (const key of ['seriesQuery', 'seriesName', 'metricsQuery'] as const) v.text(scope, `${field}.${key}`, d[key]);
    if (typeof d.name !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(d.name)) fail(scope, `${field}.name`, d.name, 'a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)');
    if (!['pod', 'service', 'external'].includes(d.subject)) fail(scope, `${field}.subject`, d.subject, 'one of "pod", "service", "external"');
    if (!d.metricsQuery.includes('<<.Series>>')) fail(scope, `${field}.metricsQuery`, d.metricsQuery, 'a query using <<.Series>> (and <<.LabelMatchers>>)');
    try {
      new RegExp(d.seriesName);
    } catch {
      fail(scope, `${field}.seriesName`, d.seriesName, 'a regular expression');
    }
  }

  /** The adapter rule producing this metric. */
  public adapterRule(): AdapterRule {
    const d = this.definition;
    const overrides: Record<string, { resource: string }> = { namespace: { resource: 'namespace' } };
    if (d.subject === 'pod') overrides.pod = { resource: 'pod' };
    if (d.subject === 'service') overrides.service = { resource: 'service' };
    return { seriesQuery: d.seriesQuery, resources: { overrides }, name: { matches: d.seriesName, as: d.name }, metricsQuery: d.metricsQuery };
  }
}

/**
 * The options of a PrometheusMetric factory: `{}` when not given (or null), and each string
 * option a non-empty string (they become part of metric names and queries).
 */
function factoryOptions<T extends object>(factory: string, options: T | undefined | null, strings: ReadonlyArray<keyof T & string>): T {
  const o = v.optionalObject(factory, 'options', options) ?? ({} as T);
  for (const key of strings) v.optionalText(factory, `options.${key}`, o[key]);
  return Object.fromEntries(Object.entries(o).filter(([, x]) => v.isSet(x))) as T;
}
