import { fail, InputLocation } from '../core/errors';
import * as v from '../core/validators';

/*
 * Service level objectives as typed data. One definition per service gives three outputs that
 * therefore cannot disagree: the PrometheusRule (SLI recordings and burn-rate alerts,
 * `SloPrometheusRule`), the defaults of the canary gates (`canaryGate()`: `npm run canary … next
 * --prometheus` and Flagger's analysis) and the Grafana dashboard (`ServiceDashboard`).
 *
 * Conventions are Sloth's (https://sloth.dev), which Pyrra's output agrees with in shape:
 * recordings `slo:sli_error:ratio_rate<window>` labelled `sloth_id` (`<service>-<slo>`),
 * `sloth_service`, `sloth_slo`, `sloth_window`; meta recordings `slo:objective:ratio`,
 * `slo:error_budget:ratio`, `slo:time_period:days`, `slo:current_burn_rate:ratio`,
 * `slo:period_burn_rate:ratio`, `slo:period_error_budget_remaining:ratio`; one page and one ticket
 * alert per SLO, told apart by `sloth_severity` (page/ticket) and `severity` (critical/warning).
 * Metrics are Istio's standard ones as reported by the server-side proxy (reporter="destination"),
 * the same the canary gate measures.
 */

/** Availability: the share of requests answered without a 5xx. */
export interface AvailabilitySloOptions {
  /** Target share of non-5xx responses over the period, percent, e.g. 99.9 (from 50 to 99.999). */
  readonly targetPercent: number;
}

/** Latency: the share of requests answered faster than a threshold. */
export interface LatencySloOptions {
  /** Target share of requests faster than `thresholdMs`, percent, e.g. 99 (from 50 to 99.999). */
  readonly targetPercent: number;
  /**
   * The threshold in milliseconds; must be a bucket bound of the request-duration histogram
   * (a `le` value), otherwise the SLI could not be computed from the buckets. E.g. 500.
   */
  readonly thresholdMs: number;
}

/** The SLOs of one service. At least one of availability and latency. */
export interface ServiceSloOptions {
  /** Availability objective. @default none */
  readonly availability?: AvailabilitySloOptions;
  /** Latency objective. @default none */
  readonly latency?: LatencySloOptions;
  /**
   * Compliance period in days (error budget remaining is computed over it). The burn-rate factors
   * (14.4, 6, 3, 1) are the SRE workbook's for a 30-day period. @default 30
   */
  readonly periodDays?: number;
  /**
   * How many times faster than sustainable a canary may spend the availability budget during its
   * analysis: the canary gates refuse an error rate above `budget × canaryBurnRate`. With 99.9 %
   * and 10 that is 1 % errors, the seeds' canary bound. @default 10
   */
  readonly canaryBurnRate?: number;
  /**
   * Bucket bounds (`le`, in ms) of `istio_request_duration_milliseconds`.
   * @default Istio's defaults: 0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000
   */
  readonly histogramBucketsMs?: number[];
  /** `runbook_url` annotation of every alert (an http(s) URL). @default none */
  readonly runbookUrl?: string;
  /** `dashboard_url` annotation of every alert (an http(s) URL). @default none */
  readonly dashboardUrl?: string;
  /** `for:` of the page alerts (a Prometheus duration). @default "2m" */
  readonly pageFor?: string;
  /** `for:` of the ticket alerts (a Prometheus duration). @default "15m" */
  readonly ticketFor?: string;
  /** Extra labels of every alert (routing in Alertmanager, e.g. `team`). @default none */
  readonly alertLabels?: Record<string, string>;
}

/** Istio's default bucket bounds of `istio_request_duration_milliseconds`. */
export const ISTIO_DURATION_BUCKETS_MS: readonly number[] = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

/** Windows of the SLI recordings (the burn-rate alerts' long and short windows). */
export const SLI_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

/** One multi-window burn-rate condition: the budget burns `factor`× too fast over both windows. */
export interface BurnRateWindow {
  /** Burn-rate factor. */
  readonly factor: number;
  /** Long window (how much budget was spent). */
  readonly long: typeof SLI_WINDOWS[number];
  /** Short window (is it still burning). */
  readonly short: typeof SLI_WINDOWS[number];
}

/** The SRE workbook's multi-window, multi-burn-rate alerts (chapter 5, table 5-8). */
export const BURN_RATE_ALERTS: { readonly page: readonly BurnRateWindow[]; readonly ticket: readonly BurnRateWindow[] } = {
  page: [{ factor: 14.4, long: '1h', short: '5m' }, { factor: 6, long: '6h', short: '30m' }],
  ticket: [{ factor: 3, long: '1d', short: '2h' }, { factor: 1, long: '3d', short: '6h' }],
};

/** One objective of a service, resolved. */
export interface SloObjective {
  /** SLO name (`sloth_slo`): `requests-availability` or `requests-latency`. */
  readonly name: 'requests-availability' | 'requests-latency';
  /** `<service>-<name>` (`sloth_id`). */
  readonly id: string;
  /** The objective as a ratio, e.g. 0.999. */
  readonly objective: number;
  /** The error budget as a ratio, e.g. 0.001. */
  readonly errorBudget: number;
  /** Latency threshold (latency objectives only). */
  readonly thresholdMs?: number;
  /** One line for people. */
  readonly description: string;
}

/** Defaults of the canary gates derived from the SLOs. */
export interface SloCanaryGate {
  /** Highest error rate (0–1) of `next --prometheus`: availability budget × canaryBurnRate. Absent without an availability SLO. */
  readonly maxErrorRate?: number;
  /** Highest P99 (ms) of `next --prometheus`: the latency threshold. Absent without a latency SLO. */
  readonly maxP99Ms?: number;
  /** Window of the gate's queries: the shortest SLI window. */
  readonly window: string;
  /** Flagger's `request-success-rate` minimum (percent): 100 × (1 − maxErrorRate). */
  readonly minSuccessRate?: number;
  /** Flagger's `request-duration` maximum (ms): the latency threshold. */
  readonly maxRequestDurationMs?: number;
}

/** Rounds away binary noise: (100 − 99.9) / 100 is 0.0009999999999999432 in floating point. */
export function cleanRatio(x: number): number {
  return Number(x.toPrecision(12));
}

/** Formats a number for PromQL and for people: no exponent, no float noise. */
export function formatNumber(x: number): string {
  const clean = cleanRatio(x);
  return Math.abs(clean) < 1e-6 && clean !== 0 ? clean.toFixed(12).replace(/0+$/, '') : String(clean);
}

const DAY_MS = 86_400_000;

/**
 * The validated SLOs of one service (pure data: no construct). Build it with {@link ServiceSlo.define};
 * every generator reads the same instance.
 */
export class ServiceSlo {
  /**
   * Validates `options` for `service` in `namespace`; errors name `scope` and `field`
   * (e.g. `monitoring.slo.latency.thresholdMs`).
   */
  public static define(scope: InputLocation, field: string, options: ServiceSloOptions, service: string, namespace: string): ServiceSlo {
    const o = v.object(scope, field, options, 'an object of ServiceSloOptions ({ availability?, latency?, periodDays?, … })');
    const availability = v.optionalObject(scope, `${field}.availability`, o.availability, 'an object { targetPercent }');
    const latency = v.optionalObject(scope, `${field}.latency`, o.latency, 'an object { targetPercent, thresholdMs }');
    if (!availability && !latency) fail(scope, field, options, 'at least one objective: availability and/or latency');
    const buckets = v.isSet(o.histogramBucketsMs)
      ? v.nonEmpty(scope, `${field}.histogramBucketsMs`, o.histogramBucketsMs).map((b, i) => v.number(scope, `${field}.histogramBucketsMs[${i}]`, b, 0, Number.MAX_SAFE_INTEGER, 'a positive number of milliseconds'))
      : ISTIO_DURATION_BUCKETS_MS;
    const target = (f: string, value: unknown) => v.number(scope, f, value, 50, 99.999, 'a percentage from 50 to 99.999, e.g. 99.9');
    const objectives: SloObjective[] = [];
    const periodDays = v.integer(scope, `${field}.periodDays`, o.periodDays ?? 30, 1, 365);
    if (availability) {
      const percent = target(`${field}.availability.targetPercent`, availability.targetPercent);
      objectives.push({
        name: 'requests-availability',
        id: `${service}-requests-availability`,
        objective: cleanRatio(percent / 100),
        errorBudget: cleanRatio((100 - percent) / 100),
        description: `${formatNumber(percent)} % of requests to ${service} answered without a 5xx over ${periodDays} days`,
      });
    }
    if (latency) {
      const percent = target(`${field}.latency.targetPercent`, latency.targetPercent);
      const thresholdMs = latency.thresholdMs;
      if (typeof thresholdMs !== 'number' || !buckets.includes(thresholdMs)) {
        fail(scope, `${field}.latency.thresholdMs`, thresholdMs, `a bucket bound of istio_request_duration_milliseconds (histogramBucketsMs): ${buckets.join(', ')}`);
      }
      objectives.push({
        name: 'requests-latency',
        id: `${service}-requests-latency`,
        objective: cleanRatio(percent / 100),
        errorBudget: cleanRatio((100 - percent) / 100),
        thresholdMs,
        description: `${formatNumber(percent)} % of requests to ${service} answered within ${formatNumber(thresholdMs)} ms over ${periodDays} days`,
      });
    }
    const url = (f: string, value: unknown) => {
      if (!v.isSet(value)) return undefined;
      if (typeof value !== 'string' || !/^https?:\/\/[^\s]+$/.test(value)) fail(scope, f, value, 'an http(s) URL without spaces');
      return value;
    };
    const promDuration = (f: string, value: unknown) => {
      if (typeof value !== 'string' || !/^(\d+[smhd])+$/.test(value)) fail(scope, f, value, 'a Prometheus duration such as "2m", "15m" or "1h"');
      return value;
    };
    return new ServiceSlo({
      service: v.dnsLabel(scope, 'service', service),
      namespace: v.dnsLabel(scope, 'namespace', namespace),
      objectives,
      periodDays,
      canaryBurnRate: v.number(scope, `${field}.canaryBurnRate`, o.canaryBurnRate ?? 10, 1, 1000, 'a burn-rate factor from 1 to 1000'),
      runbookUrl: url(`${field}.runbookUrl`, o.runbookUrl),
      dashboardUrl: url(`${field}.dashboardUrl`, o.dashboardUrl),
      pageFor: promDuration(`${field}.pageFor`, o.pageFor ?? '2m'),
      ticketFor: promDuration(`${field}.ticketFor`, o.ticketFor ?? '15m'),
      alertLabels: v.labels(scope, `${field}.alertLabels`, o.alertLabels),
    });
  }

  /** The service (`destination_service_name`). */
  public readonly service: string;
  /** Its namespace (`destination_service_namespace`). */
  public readonly namespace: string;
  /** Availability first, then latency. */
  public readonly objectives: readonly SloObjective[];
  /** Compliance period in days. */
  public readonly periodDays: number;
  /** See {@link ServiceSloOptions.canaryBurnRate}. */
  public readonly canaryBurnRate: number;
  /** Alert annotations. */
  public readonly runbookUrl?: string;
  public readonly dashboardUrl?: string;
  /** `for:` of page and ticket alerts. */
  public readonly pageFor: string;
  public readonly ticketFor: string;
  /** Extra alert labels. */
  public readonly alertLabels: Readonly<Record<string, string>>;

  private constructor(p: {
    service: string; namespace: string; objectives: SloObjective[]; periodDays: number; canaryBurnRate: number;
    runbookUrl?: string; dashboardUrl?: string; pageFor: string; ticketFor: string; alertLabels: Record<string, string>;
  }) {
    this.service = p.service;
    this.namespace = p.namespace;
    this.objectives = p.objectives;
    this.periodDays = p.periodDays;
    this.canaryBurnRate = p.canaryBurnRate;
    this.runbookUrl = p.runbookUrl;
    this.dashboardUrl = p.dashboardUrl;
    this.pageFor = p.pageFor;
    this.ticketFor = p.ticketFor;
    this.alertLabels = p.alertLabels;
  }

  /** The availability objective, when defined. */
  public get availability(): SloObjective | undefined {
    return this.objectives.find((o) => o.name === 'requests-availability');
  }

  /** The latency objective, when defined. */
  public get latency(): SloObjective | undefined {
    return this.objectives.find((o) => o.name === 'requests-latency');
  }

  /** The compliance period as a Prometheus duration (`30d`). */
  public get period(): string {
    return `${this.periodDays}d`;
  }

  /** Label matchers of the service's server-side Istio metrics. */
  public get selector(): string {
    return `reporter="destination",destination_service_name="${this.service}",destination_service_namespace="${this.namespace}"`;
  }

  /**
   * The SLI as an error ratio over `window`: 5xx responses / all responses (availability), or
   * responses slower than the threshold / all responses (latency, from the histogram's buckets).
   */
  public errorRatioQuery(objective: SloObjective, window: string): string {
    if (objective.name === 'requests-availability') {
      return `(sum(rate(istio_requests_total{${this.selector},response_code=~"5.."}[${window}]))) / (sum(rate(istio_requests_total{${this.selector}}[${window}])))`;
    }
    const count = `sum(rate(istio_request_duration_milliseconds_count{${this.selector}}[${window}]))`;
    const fast = `sum(rate(istio_request_duration_milliseconds_bucket{${this.selector},le="${formatNumber(objective.thresholdMs!)}"}[${window}]))`;
    return `(${count} - ${fast}) / (${count})`;
  }

  /** `sloth_*` labels of one objective. */
  public labelsOf(objective: SloObjective): Record<string, string> {
    return { sloth_id: objective.id, sloth_service: this.service, sloth_slo: objective.name };
  }

  /** PromQL matchers of one objective's recordings. */
  public matchersOf(objective: SloObjective): string {
    return `sloth_id="${objective.id}", sloth_service="${this.service}", sloth_slo="${objective.name}"`;
  }

  /**
   * Defaults of the canary gates: what a canary must stay within so that it spends the budget at
   * most `canaryBurnRate` times as fast as sustainable, and meets the latency objective's threshold
   * at the 99th percentile (for a latency target up to 99 %, P99 within the threshold implies the
   * target is met).
   */
  public canaryGate(): SloCanaryGate {
    const maxErrorRate = this.availability ? cleanRatio(Math.min(1, this.availability.errorBudget * this.canaryBurnRate)) : undefined;
    const threshold = this.latency?.thresholdMs;
    return {
      maxErrorRate,
      maxP99Ms: threshold,
      window: SLI_WINDOWS[0],
      minSuccessRate: maxErrorRate === undefined ? undefined : cleanRatio(100 * (1 - maxErrorRate)),
      maxRequestDurationMs: threshold,
    };
  }

  /** Milliseconds in the compliance period (for tests and dashboards). */
  public get periodMs(): number {
    return this.periodDays * DAY_MS;
  }
}
