import { App, Chart } from 'cdk8s';
import { BURN_RATE_ALERTS, ConfigurationError, renderApp, ServiceSlo, sloAlertName, SloPrometheusRule, sloRuleGroups, SLI_WINDOWS } from '../../lib';
import { checkRules, promtoolSuite, testRules, writeRuleFile } from './promtool';

const SEL = 'reporter="destination",destination_service_name="user-service",destination_service_namespace="shop"';
const slo = ServiceSlo.define('test', 'slo', {
  availability: { targetPercent: 99.9 },
  latency: { targetPercent: 99, thresholdMs: 500 },
  runbookUrl: 'https://runbooks.example.com/user-service',
  dashboardUrl: 'https://grafana.example.com/d/shop-user-service',
  alertLabels: { team: 'users' },
}, 'user-service', 'shop');
const availability = slo.availability!;
const latency = slo.latency!;
const groups = sloRuleGroups(slo);
const rulesOf = (name: string) => groups.find((g) => g.name === name)!.rules;

describe('SLO rules: recordings and alerts (Sloth conventions)', () => {
  test('availability SLI: 5xx over all requests, one recording per window and one over the period', () => {
    const sli = rulesOf('sloth-slo-sli-recordings-user-service-requests-availability');
    expect(sli.map((r) => r.record)).toEqual([...SLI_WINDOWS.map((w) => `slo:sli_error:ratio_rate${w}`), 'slo:sli_error:ratio_rate30d']);
    expect(sli[0]).toEqual({
      record: 'slo:sli_error:ratio_rate5m',
      expr: `(sum(rate(istio_requests_total{${SEL},response_code=~"5.."}[5m]))) / (sum(rate(istio_requests_total{${SEL}}[5m])))`,
      labels: { sloth_id: 'user-service-requests-availability', sloth_service: 'user-service', sloth_slo: 'requests-availability', sloth_window: '5m' },
    });
    expect(sli[6].expr).toContain('[3d]');
    expect(sli[7].expr).toBe('sum_over_time(slo:sli_error:ratio_rate5m{sloth_id="user-service-requests-availability", sloth_service="user-service", sloth_slo="requests-availability"}[30d])'
      + ' / ignoring (sloth_window) count_over_time(slo:sli_error:ratio_rate5m{sloth_id="user-service-requests-availability", sloth_service="user-service", sloth_slo="requests-availability"}[30d])');
  });

  test('latency SLI: requests slower than the threshold bucket over all requests', () => {
    const sli = rulesOf('sloth-slo-sli-recordings-user-service-requests-latency');
    expect(sli[2].record).toBe('slo:sli_error:ratio_rate1h');
    expect(sli[2].expr).toBe(`(sum(rate(istio_request_duration_milliseconds_count{${SEL}}[1h])) - sum(rate(istio_request_duration_milliseconds_bucket{${SEL},le="500"}[1h]))) / (sum(rate(istio_request_duration_milliseconds_count{${SEL}}[1h])))`);
  });

  test('meta recordings: objective, budget, period, burn rates, budget remaining', () => {
    const meta = Object.fromEntries(rulesOf('sloth-slo-meta-recordings-user-service-requests-availability').map((r) => [r.record, r.expr]));
    const m = 'sloth_id="user-service-requests-availability", sloth_service="user-service", sloth_slo="requests-availability"';
    expect(meta).toEqual({
      'slo:objective:ratio': 'vector(0.999)',
      'slo:error_budget:ratio': 'vector(0.001)',
      'slo:time_period:days': 'vector(30)',
      'slo:current_burn_rate:ratio': `slo:sli_error:ratio_rate5m{${m}} / on (sloth_id, sloth_slo, sloth_service) group_left slo:error_budget:ratio{${m}}`,
      'slo:period_burn_rate:ratio': `slo:sli_error:ratio_rate30d{${m}} / on (sloth_id, sloth_slo, sloth_service) group_left slo:error_budget:ratio{${m}}`,
      'slo:period_error_budget_remaining:ratio': `1 - slo:period_burn_rate:ratio{${m}}`,
    });
    expect(rulesOf('sloth-slo-meta-recordings-user-service-requests-latency').find((r) => r.record === 'slo:error_budget:ratio')!.expr).toBe('vector(0.01)');
  });

  test('page: 14.4× over 1h and 5m or 6× over 6h and 30m; ticket: 3× over 1d and 2h or 1× over 3d and 6h', () => {
    const [page, ticket] = rulesOf('sloth-slo-alerts-user-service-requests-availability');
    const m = 'sloth_id="user-service-requests-availability", sloth_service="user-service", sloth_slo="requests-availability"';
    const w = (window: string, t: string) => `max(slo:sli_error:ratio_rate${window}{${m}} > (${t})) without (sloth_window)`;
    expect(page.alert).toBe('UserServiceRequestsAvailabilityBudgetBurn');
    expect(page.expr).toBe(`(${w('5m', '14.4 * 0.001')} and ${w('1h', '14.4 * 0.001')}) or (${w('30m', '6 * 0.001')} and ${w('6h', '6 * 0.001')})`);
    expect(ticket.expr).toBe(`(${w('2h', '3 * 0.001')} and ${w('1d', '3 * 0.001')}) or (${w('6h', '1 * 0.001')} and ${w('3d', '1 * 0.001')})`);
    expect(page.for).toBe('2m');
    expect(ticket.for).toBe('15m');
    expect(page.labels).toEqual({ team: 'users', sloth_id: 'user-service-requests-availability', sloth_service: 'user-service', sloth_slo: 'requests-availability', sloth_severity: 'page', severity: 'critical' });
    expect(ticket.labels).toMatchObject({ sloth_severity: 'ticket', severity: 'warning' });
    expect(page.annotations).toEqual({
      summary: 'user-service: error budget of requests-availability burning too fast (page)',
      description: '99.9 % of requests to user-service answered without a 5xx over 30 days. The error budget (0.1 % of requests) burns at 14.4× over 1h and 5m or 6× over 6h and 30m the sustainable rate.',
      runbook_url: 'https://runbooks.example.com/user-service',
      dashboard_url: 'https://grafana.example.com/d/shop-user-service',
    });
    expect(rulesOf('sloth-slo-alerts-user-service-requests-latency')[0].expr).toContain('> (14.4 * 0.01)');
    expect(BURN_RATE_ALERTS.page.map((b) => b.factor)).toEqual([14.4, 6]);
  });

  test('the PrometheusRule object carries the groups and the discovery label', () => {
    const app = new App();
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    new SloPrometheusRule(chart, 'r', { slo, discoveryLabels: { prometheus: 'main' } });
    const [obj] = renderApp(app).flatMap((f) => f.objects.map((o) => o.manifest));
    expect(obj).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'user-service-slo', namespace: 'shop', labels: { prometheus: 'main' } } });
    expect(obj.spec.groups).toEqual(JSON.parse(JSON.stringify(groups)));
  });
});

describe('SLO definitions: validation and canary-gate defaults', () => {
  test('canary gate: budget × canaryBurnRate (99.9 % × 10 = 1 %), P99 within the latency threshold; Flagger the same', () => {
    expect(slo.canaryGate()).toEqual({ maxErrorRate: 0.01, maxP99Ms: 500, window: '5m', minSuccessRate: 99, maxRequestDurationMs: 500 });
    const strict = ServiceSlo.define('t', 'slo', { availability: { targetPercent: 99.95 }, canaryBurnRate: 4 }, 'a', 'b');
    expect(strict.canaryGate()).toEqual({ maxErrorRate: 0.002, maxP99Ms: undefined, window: '5m', minSuccessRate: 99.8, maxRequestDurationMs: undefined });
  });

  test.each([
    [{}, 'slo', 'at least one objective'],
    [{ availability: { targetPercent: 100 } }, 'slo.availability.targetPercent', 'a percentage from 50 to 99.999'],
    [{ availability: { targetPercent: '99.9' } }, 'slo.availability.targetPercent', 'a percentage from 50 to 99.999'],
    [{ availability: null, latency: { targetPercent: 99, thresholdMs: 400 } }, 'slo.latency.thresholdMs', 'a bucket bound of istio_request_duration_milliseconds'],
    [{ latency: { targetPercent: 99, thresholdMs: 400 }, histogramBucketsMs: [100, 400] }, 'slo.latency.thresholdMs', undefined],
    [{ availability: { targetPercent: 99 }, periodDays: 0 }, 'slo.periodDays', 'an integer from 1 to 365'],
    [{ availability: { targetPercent: 99 }, runbookUrl: 'runbooks/x' }, 'slo.runbookUrl', 'an http(s) URL'],
    [{ availability: { targetPercent: 99 }, pageFor: '2 minutes' }, 'slo.pageFor', 'a Prometheus duration'],
    [{ availability: { targetPercent: 99 }, alertLabels: { 'bad key!': 'x' } }, 'slo.alertLabels key', 'a Kubernetes label key'],
    [null, 'slo', 'an object of ServiceSloOptions'],
  ])('%j → %s', (options, field, allowed) => {
    const define = () => ServiceSlo.define('user-service/Monitoring', 'slo', options as any, 'user-service', 'shop');
    if (allowed === undefined) {
      expect(define).not.toThrow();
      return;
    }
    expect(define).toThrow(ConfigurationError);
    try {
      define();
    } catch (e) {
      expect((e as ConfigurationError).constructPath).toBe('user-service/Monitoring');
      expect((e as ConfigurationError).field).toBe(field);
      expect((e as ConfigurationError).allowed).toContain(allowed);
    }
  });
});

/** Counters growing by `perMinute` per minute for `minutes` minutes (promtool's expanding notation). */
const counter = (perMinute: number, minutes: number) => `0+${perMinute}x${minutes}`;

/** 1,000 requests a minute of which `ratio` fail with 503, for `minutes` minutes. */
function availabilitySeries(ratio: number, minutes: number, errors = counter(1000 * ratio, minutes)) {
  return [
    { series: `istio_requests_total{${SEL},response_code="200"}`, values: counter(1000 * (1 - ratio), minutes) },
    { series: `istio_requests_total{${SEL},response_code="503"}`, values: errors },
  ];
}

/** 1,000 requests a minute of which `ratio` take longer than 500 ms. */
function latencySeries(ratio: number, minutes: number) {
  return [
    { series: `istio_request_duration_milliseconds_count{${SEL}}`, values: counter(1000, minutes) },
    { series: `istio_request_duration_milliseconds_bucket{${SEL},le="500"}`, values: counter(1000 * (1 - ratio), minutes) },
  ];
}

function expected(objective: typeof availability, severity: 'page' | 'ticket') {
  const rule = rulesOf(`sloth-slo-alerts-${objective.id}`)[severity === 'page' ? 0 : 1];
  return { exp_labels: { ...rule.labels }, exp_annotations: rule.annotations };
}

/** One promtool unit test: at `at`, the objective's alerts that fire are exactly `firing`. */
function scenario(name: string, objective: typeof availability, inputSeries: unknown[], checks: Array<{ at: string; firing: Array<'page' | 'ticket'> }>) {
  return {
    name,
    interval: '1m',
    input_series: inputSeries,
    alert_rule_test: checks.map((c) => ({ eval_time: c.at, alertname: sloAlertName(objective), exp_alerts: c.firing.map((s) => expected(objective, s)) })),
  };
}

promtoolSuite('promtool tests of the SLO rules')('promtool: the generated rules are valid PromQL and alert as designed', () => {
  test('promtool check rules', () => {
    const r = checkRules(writeRuleFile(groups));
    expect(r.output).toContain('SUCCESS: 32 rules found');
    expect(r.status).toBe(0);
  });

  test('promtool test rules: each burn rate fires its alert after `for:`, and nothing fires below it', () => {
    const tests = [
      // 15× the budget: both page windows exceed 14.4×; pending during `for: 2m`, firing after.
      scenario('availability at 15× budget', availability, availabilitySeries(0.015, 60), [
        { at: '2m', firing: [] },
        { at: '10m', firing: ['page'] },
        { at: '30m', firing: ['page', 'ticket'] },
      ]),
      // 7×: under 14.4× but over 6× over 6h and 30m: still a page.
      scenario('availability at 7× budget', availability, availabilitySeries(0.007, 60), [{ at: '10m', firing: ['page'] }]),
      // 5×: no page (under 6×), a ticket (over 3×) after `for: 15m`.
      scenario('availability at 5× budget', availability, availabilitySeries(0.005, 60), [
        { at: '10m', firing: [] },
        { at: '30m', firing: ['ticket'] },
      ]),
      // 2×: only the slow burn (1× over 3d and 6h) tickets.
      scenario('availability at 2× budget', availability, availabilitySeries(0.002, 60), [{ at: '30m', firing: ['ticket'] }]),
      // 0.5×: within budget, silent at every window.
      scenario('availability at 0.5× budget', availability, availabilitySeries(0.0005, 480), [
        { at: '10m', firing: [] }, { at: '1h', firing: [] }, { at: '7h', firing: [] },
      ]),
      // A burst that stopped: the 1h window still burns at 15×, the 5m window no longer: the page resolves.
      scenario('availability: burst over, short window clean', availability,
        availabilitySeries(0.015, 90, `${counter(15, 30)} 450+0x60`), [
          { at: '20m', firing: ['page', 'ticket'] },
          // The 30m window still sees the burst at 45m (6×); by 70m every short page window is clean.
          { at: '45m', firing: ['page', 'ticket'] },
          { at: '70m', firing: ['ticket'] },
        ]),
      scenario('latency at 15× budget (15 % slower than 500 ms)', latency, latencySeries(0.15, 60), [{ at: '10m', firing: ['page'] }]),
      scenario('latency at 0.5× budget', latency, latencySeries(0.005, 480), [{ at: '10m', firing: [] }, { at: '7h', firing: [] }]),
    ];
    const r = testRules(groups, tests);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  }, 60_000);

  test('promtool test rules: recorded SLI, burn rate and budget remaining', () => {
    const m = 'sloth_id="user-service-requests-availability", sloth_service="user-service", sloth_slo="requests-availability"';
    const labels = '{sloth_id="user-service-requests-availability", sloth_service="user-service", sloth_slo="requests-availability"';
    const r = testRules(groups, [{
      interval: '1m',
      input_series: availabilitySeries(0.002, 60),
      promql_expr_test: [
        { expr: `slo:sli_error:ratio_rate5m{${m}}`, eval_time: '30m', exp_samples: [{ labels: `slo:sli_error:ratio_rate5m${labels}, sloth_window="5m"}`, value: 0.002 }] },
        { expr: `slo:current_burn_rate:ratio{${m}}`, eval_time: '30m', exp_samples: [{ labels: `slo:current_burn_rate:ratio${labels}, sloth_window="5m"}`, value: 2 }] },
        { expr: `slo:period_error_budget_remaining:ratio{${m}}`, eval_time: '30m', exp_samples: [{ labels: `slo:period_error_budget_remaining:ratio${labels}, sloth_window="30d"}`, value: -1 }] },
      ],
    }]);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  }, 60_000);
});
