import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as v from '../core/validators';
import { BURN_RATE_ALERTS, BurnRateWindow, formatNumber, ServiceSlo, SLI_WINDOWS, SloObjective } from './service-slo';

/** The label kube-prometheus-stack's Prometheus selects rules (and monitors) by, unless configured otherwise. */
export const DEFAULT_DISCOVERY_LABELS: Readonly<Record<string, string>> = { release: 'kube-prometheus-stack' };

/** Props of {@link SloPrometheusRule}. */
export interface SloPrometheusRuleProps {
  /** The SLOs (see {@link ServiceSlo.define}). */
  readonly slo: ServiceSlo;
  /** Name of the PrometheusRule. @default "<service>-slo" */
  readonly name?: string;
  /** Namespace of the PrometheusRule. @default the SLO's (the service's) namespace */
  readonly namespace?: string;
  /**
   * Labels the Prometheus' `ruleSelector` matches.
   * @default { release: "kube-prometheus-stack" } (kube-prometheus-stack's default selector)
   */
  readonly discoveryLabels?: Record<string, string>;
  /** Further labels of the object. @default none */
  readonly labels?: Record<string, string>;
}

/** One Prometheus rule (recording or alerting), as in a rule file. */
export interface PrometheusRuleEntry {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** One rule group, as in a rule file. */
export interface PrometheusRuleGroup {
  readonly name: string;
  readonly rules: PrometheusRuleEntry[];
}

/**
 * The rule groups of `slo`, as a Prometheus rule file holds them (`{ groups }` is exactly what
 * `promtool check rules` reads): per objective, SLI recordings over 5m … 3d and the period,
 * meta recordings (objective, budget, burn rates, budget remaining) and the page and ticket alerts.
 */
export function sloRuleGroups(slo: ServiceSlo): PrometheusRuleGroup[] {
  return slo.objectives.flatMap((o) => [
    { name: `sloth-slo-sli-recordings-${o.id}`, rules: sliRecordings(slo, o) },
    { name: `sloth-slo-meta-recordings-${o.id}`, rules: metaRecordings(slo, o) },
    { name: `sloth-slo-alerts-${o.id}`, rules: alerts(slo, o) },
  ]);
}

/** Name of the page/ticket alert of an objective: `UserServiceRequestsAvailabilityBudgetBurn`. */
export function sloAlertName(o: SloObjective): string {
  return `${o.id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}BudgetBurn`;
}

function sliRecordings(slo: ServiceSlo, o: SloObjective): PrometheusRuleEntry[] {
  const labels = slo.labelsOf(o);
  return [
    ...SLI_WINDOWS.map((window) => ({
      record: `slo:sli_error:ratio_rate${window}`,
      expr: slo.errorRatioQuery(o, window),
      labels: { ...labels, sloth_window: window },
    })),
    // The period from the 5m recordings, as Sloth does: a rate over 30 days of raw series is too expensive.
    {
      record: `slo:sli_error:ratio_rate${slo.period}`,
      expr: `sum_over_time(slo:sli_error:ratio_rate5m{${slo.matchersOf(o)}}[${slo.period}]) / ignoring (sloth_window) count_over_time(slo:sli_error:ratio_rate5m{${slo.matchersOf(o)}}[${slo.period}])`,
      labels: { ...labels, sloth_window: slo.period },
    },
  ];
}

function metaRecordings(slo: ServiceSlo, o: SloObjective): PrometheusRuleEntry[] {
  const labels = slo.labelsOf(o);
  const m = slo.matchersOf(o);
  const on = 'on (sloth_id, sloth_slo, sloth_service) group_left';
  return [
    { record: 'slo:objective:ratio', expr: `vector(${formatNumber(o.objective)})`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(${formatNumber(o.errorBudget)})`, labels },
    { record: 'slo:time_period:days', expr: `vector(${slo.periodDays})`, labels },
    { record: 'slo:current_burn_rate:ratio', expr: `slo:sli_error:ratio_rate5m{${m}} / ${on} slo:error_budget:ratio{${m}}`, labels },
    { record: 'slo:period_burn_rate:ratio', expr: `slo:sli_error:ratio_rate${slo.period}{${m}} / ${on} slo:error_budget:ratio{${m}}`, labels },
    { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio{${m}}`, labels },
  ];
}

function burnCondition(slo: ServiceSlo, o: SloObjective, w: BurnRateWindow): string {
  const threshold = `(${formatNumber(w.factor)} * ${formatNumber(o.errorBudget)})`;
  const window = (name: string) => `max(slo:sli_error:ratio_rate${name}{${slo.matchersOf(o)}} > ${threshold}) without (sloth_window)`;
  return `(${window(w.short)} and ${window(w.long)})`;
}

function alerts(slo: ServiceSlo, o: SloObjective): PrometheusRuleEntry[] {
  const what = o.name === 'requests-availability' ? 'error' : 'latency';
  const windows = (ws: readonly BurnRateWindow[]) => ws.map((w) => `${formatNumber(w.factor)}× over ${w.long} and ${w.short}`).join(' or ');
  const annotations = (severity: 'page' | 'ticket', ws: readonly BurnRateWindow[]) => ({
    summary: `${slo.service}: ${what} budget of ${o.name} burning too fast (${severity})`,
    description: `${o.description}. The error budget (${formatNumber(o.errorBudget * 100)} % of requests) burns at ${windows(ws)} the sustainable rate.`,
    ...(slo.runbookUrl ? { runbook_url: slo.runbookUrl } : {}),
    ...(slo.dashboardUrl ? { dashboard_url: slo.dashboardUrl } : {}),
  });
  const rule = (severity: 'page' | 'ticket', ws: readonly BurnRateWindow[], forDuration: string): PrometheusRuleEntry => ({
    alert: sloAlertName(o),
    expr: ws.map((w) => burnCondition(slo, o, w)).join(' or '),
    for: forDuration,
    labels: { ...slo.alertLabels, ...slo.labelsOf(o), sloth_severity: severity, severity: severity === 'page' ? 'critical' : 'warning' },
    annotations: annotations(severity, ws),
  });
  return [rule('page', BURN_RATE_ALERTS.page, slo.pageFor), rule('ticket', BURN_RATE_ALERTS.ticket, slo.ticketFor)];
}

/**
 * A `PrometheusRule` (monitoring.coreos.com/v1) with the SLI recordings and multi-window,
 * multi-burn-rate alerts of a service's SLOs, labelled for kube-prometheus-stack to load.
 */
export class SloPrometheusRule extends Construct {
  /** The rule groups (a rule file's content). */
  public readonly groups: PrometheusRuleGroup[];
  /** The object's name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: SloPrometheusRuleProps) {
    super(scope, id);
    v.props(this, props, 'SloPrometheusRuleProps');
    const slo = v.instance(this, 'slo', props.slo, ServiceSlo, 'a ServiceSlo (ServiceSlo.define(...))');
    this.name = v.dnsSubdomain(this, 'name', props.name ?? `${slo.service}-slo`);
    const namespace = v.dnsLabel(this, 'namespace', props.namespace ?? slo.namespace);
    const discovery = v.labels(this, 'discoveryLabels', props.discoveryLabels ?? DEFAULT_DISCOVERY_LABELS);
    this.groups = sloRuleGroups(slo);
    new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: this.name, namespace, labels: { ...v.labels(this, 'labels', props.labels), ...discovery } },
      spec: { groups: this.groups },
    });
  }
}
