import { durationMs } from '../core/validators';

/** Bounds a canary must stay within to advance (seed 004's canary-deploy.sh: < 1 % errors, P99 < 500 ms). */
export interface CanaryAnalysisThresholds {
  /** Highest acceptable share of 5xx responses, 0–1. @default 0.01 */
  readonly maxErrorRate?: number;
  /** Highest acceptable P99 latency in milliseconds. @default 500 */
  readonly maxP99Ms?: number;
  /** Window the rates are computed over (a Prometheus duration). @default "5m" */
  readonly window?: string;
}

/** The defaults of {@link CanaryAnalysisThresholds}. */
export const DEFAULT_CANARY_ANALYSIS = { maxErrorRate: 0.01, maxP99Ms: 500, window: '5m' } as const;

/** What Prometheus says about the canary over the window. */
export interface CanaryMeasurement {
  /** Requests per second reaching the canary. */
  readonly requestRate: number;
  /** Share of 5xx responses, 0–1. */
  readonly errorRate: number;
  /** P99 latency in milliseconds. */
  readonly p99Ms: number;
}

/** Prometheus could not be asked, or answered with an error: nothing may be changed. */
export class PrometheusUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusUnavailableError';
  }
}

/** Prometheus answered, but without data to judge the canary by: nothing may be changed. */
export class NoCanaryDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoCanaryDataError';
  }
}

/** Validated thresholds with defaults applied; throws on out-of-range values. */
export function resolveThresholds(t: CanaryAnalysisThresholds = {}): Required<CanaryAnalysisThresholds> {
  const maxErrorRate = t.maxErrorRate ?? DEFAULT_CANARY_ANALYSIS.maxErrorRate;
  const maxP99Ms = t.maxP99Ms ?? DEFAULT_CANARY_ANALYSIS.maxP99Ms;
  const window = t.window ?? DEFAULT_CANARY_ANALYSIS.window;
  if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) throw new RangeError(`max error rate must be between 0 and 1, got ${maxErrorRate}`);
  if (!(maxP99Ms > 0)) throw new RangeError(`max P99 must be a positive number of milliseconds, got ${maxP99Ms}`);
  if (!/^\d+(ms|s|m|h)$/.test(window) || (durationMs(window) ?? 0) < 1000) throw new RangeError(`window must be a Prometheus duration of at least 1s such as "5m", got "${window}"`);
  return { maxErrorRate, maxP99Ms, window };
}

/**
 * The request metrics a canary is judged by, as PromQL over Istio's standard metrics — the one
 * definition used by `npm run canary` (next --prometheus, auto), Flagger MetricTemplates and
 * Argo Rollouts AnalysisTemplates. `selector` is the label matchers of the requests (without
 * braces), `window` the range; either may hold a controller's template variables
 * (`{{ interval }}`, `{{args.service}}`), which are left as they are.
 */
export function istioRequestQueries(selector: string, window: string) {
  const requests = `sum(rate(istio_requests_total{${selector}}[${window}]))`;
  const errors = `sum(rate(istio_requests_total{${selector},response_code=~"5.."}[${window}]))`;
  return {
    /** Requests per second. */
    requestRate: requests,
    /** 5xx responses per second. */
    errorRate: errors,
    /** Share of 5xx responses, 0–1 (NaN without traffic). */
    errorRatio: `${errors} / ${requests}`,
    /** P99 latency in milliseconds. */
    p99Ms: `histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${selector}}[${window}])))`,
  };
}

/** The label matchers of the requests one version of a service receives, as its sidecars report them. */
export function canarySelector(destinationService: string, version: string): string {
  return `destination_service="${destinationService}",destination_version="${version}",reporter="destination"`;
}

/** The PromQL for one canary subset (Istio standard metrics, as reported by the destination). */
export function canaryQueries(destinationService: string, version: string, window: string) {
  return istioRequestQueries(canarySelector(destinationService, version), window);
}

/** A minimal client of the Prometheus HTTP API (instant queries). */
export class PrometheusClient {
  constructor(private readonly baseUrl: string, private readonly timeoutMs = 10_000) {
    if (!/^https?:\/\/\S+$/.test(baseUrl)) throw new RangeError(`Prometheus URL must be http(s)://host[:port], got "${baseUrl}"`);
  }

  /** The scalar value of an instant query; undefined when the result is empty. */
  public async query(promql: string): Promise<number | undefined> {
    const url = `${this.baseUrl.replace(/\/$/, '')}/api/v1/query?query=${encodeURIComponent(promql)}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new PrometheusUnavailableError(`Prometheus at ${this.baseUrl} is unreachable: ${(e as Error).cause ?? (e as Error).message}`);
    }
    let body: any;
    try {
      body = await response.json();
    } catch {
      throw new PrometheusUnavailableError(`Prometheus at ${this.baseUrl} answered HTTP ${response.status} without a JSON body`);
    }
    if (!response.ok || body.status !== 'success') {
      throw new PrometheusUnavailableError(`Prometheus at ${this.baseUrl} answered HTTP ${response.status}: ${body.errorType ?? ''} ${body.error ?? ''}`.trim());
    }
    const result = body.data?.result ?? [];
    if (body.data?.resultType !== 'vector' || result.length === 0) return undefined;
    return Number(result[0].value[1]);
  }
}

/** Measures the canary subset; throws NoCanaryDataError when there is nothing to judge by. */
export async function measureCanary(client: PrometheusClient, destinationService: string, version: string, window: string): Promise<CanaryMeasurement> {
  const q = canaryQueries(destinationService, version, window);
  const [requestRate, errors, p99Ms] = await Promise.all([client.query(q.requestRate), client.query(q.errorRate), client.query(q.p99Ms)]);
  if (requestRate === undefined) throw new NoCanaryDataError(`no istio_requests_total series for ${destinationService} version ${version} in the last ${window}`);
  if (!(requestRate > 0)) throw new NoCanaryDataError(`no traffic reached ${destinationService} version ${version} in the last ${window} (0 requests/s): nothing to judge by`);
  if (p99Ms === undefined || Number.isNaN(p99Ms)) throw new NoCanaryDataError(`no istio_request_duration_milliseconds histogram for ${destinationService} version ${version} in the last ${window}`);
  return { requestRate, errorRate: (errors ?? 0) / requestRate, p99Ms };
}

/** Whether the measurement is within bounds, with the reasons when it is not. */
export function judgeCanary(m: CanaryMeasurement, t: Required<CanaryAnalysisThresholds>): { healthy: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (m.errorRate > t.maxErrorRate) reasons.push(`error rate ${formatPercent(m.errorRate)} above ${formatPercent(t.maxErrorRate)}`);
  if (m.p99Ms > t.maxP99Ms) reasons.push(`P99 ${m.p99Ms.toFixed(0)} ms above ${t.maxP99Ms} ms`);
  return { healthy: reasons.length === 0, reasons };
}

/** One line of the numbers a decision was based on. */
export function describeMeasurement(m: CanaryMeasurement, t: Required<CanaryAnalysisThresholds>): string {
  return `${m.requestRate.toFixed(2)} req/s, error rate ${formatPercent(m.errorRate)} (max ${formatPercent(t.maxErrorRate)}), P99 ${m.p99Ms.toFixed(0)} ms (max ${t.maxP99Ms} ms), window ${t.window}`;
}

function formatPercent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
