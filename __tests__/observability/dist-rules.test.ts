import * as path from 'path';
import { loadManifests, PrometheusRuleGroup } from '../../lib';
import { ROOT } from '../helpers';
import { checkRules, promtoolSuite, testRules, writeRuleFile } from './promtool';

/*
 * Every PrometheusRule the default app ships (dist/) is real PromQL: promtool checks it, and a
 * promtool unit test per SLO shows its page alert firing at 15× the budget and every alert silent at
 * 0.5× — with the SLO's own selector, budget and threshold read back from the rule file.
 */
const rules = loadManifests([path.join(ROOT, 'dist')], { base: path.join(ROOT, 'dist') }).objects
  .filter((o) => o.manifest.kind === 'PrometheusRule');

interface ObjectiveUnderTest {
  readonly id: string; readonly service: string; readonly slo: string; readonly namespace: string;
  readonly budget: number; readonly thresholdMs?: string; readonly alert: PrometheusRuleGroup['rules'];
}

function objectivesOf(namespace: string, groups: PrometheusRuleGroup[]): ObjectiveUnderTest[] {
  return groups.filter((g) => g.name.startsWith('sloth-slo-meta-recordings-')).map((meta) => {
    const id = meta.name.replace('sloth-slo-meta-recordings-', '');
    const budgetRule = meta.rules.find((r) => r.record === 'slo:error_budget:ratio')!;
    const sli = groups.find((g) => g.name === `sloth-slo-sli-recordings-${id}`)!.rules[0];
    return {
      id,
      service: budgetRule.labels!.sloth_service,
      slo: budgetRule.labels!.sloth_slo,
      namespace,
      budget: Number(/^vector\((.+)\)$/.exec(budgetRule.expr)![1]),
      thresholdMs: /le="([^"]+)"/.exec(sli.expr)?.[1],
      alert: groups.find((g) => g.name === `sloth-slo-alerts-${id}`)!.rules,
    };
  });
}

function seriesAt(o: ObjectiveUnderTest, badRatio: number, minutes: number) {
  const sel = `reporter="destination",destination_service_name="${o.service}",destination_service_namespace="${o.namespace}"`;
  const grow = (perMinute: number) => `0+${perMinute}x${minutes}`;
  return o.thresholdMs === undefined
    ? [
      { series: `istio_requests_total{${sel},response_code="200"}`, values: grow(10000 * (1 - badRatio)) },
      { series: `istio_requests_total{${sel},response_code="500"}`, values: grow(10000 * badRatio) },
    ]
    : [
      { series: `istio_request_duration_milliseconds_count{${sel}}`, values: grow(10000) },
      { series: `istio_request_duration_milliseconds_bucket{${sel},le="${o.thresholdMs}"}`, values: grow(10000 * (1 - badRatio)) },
    ];
}

test('the default app ships SLO rules for every prod service', () => {
  expect(rules.map((r) => `${r.file}: ${r.manifest.metadata.name}`)).toEqual([
    'prod/50-order-service.yaml: order-service-slo',
    'prod/50-payment-service.yaml: payment-service-slo',
    'prod/50-product-service.yaml: product-service-slo',
    'prod/50-user-service.yaml: user-service-slo',
  ]);
});

promtoolSuite('promtool tests of dist/')('promtool on every PrometheusRule of dist/', () => {
  test.each(rules.map((r) => [`${r.file} ${r.manifest.metadata.name}`, r]))('%s: check rules, and its alerts fire at 15× and stay silent at 0.5×', (_name, r) => {
    const groups: PrometheusRuleGroup[] = r.manifest.spec.groups;
    const checked = checkRules(writeRuleFile(groups));
    expect(checked.output).toContain('SUCCESS');
    expect(checked.status).toBe(0);
    const objectives = objectivesOf(r.manifest.metadata.namespace, groups);
    expect(objectives.map((o) => o.slo)).toEqual(['requests-availability', 'requests-latency']);
    const tests = objectives.flatMap((o) => {
      const [page, ticket] = o.alert;
      const exp = (rule: typeof page) => ({ exp_labels: rule.labels, exp_annotations: rule.annotations });
      return [
        { interval: '1m', input_series: seriesAt(o, 15 * o.budget, 60), alert_rule_test: [{ eval_time: '10m', alertname: page.alert, exp_alerts: [exp(page)] }, { eval_time: '30m', alertname: page.alert, exp_alerts: [exp(page), exp(ticket)] }] },
        { interval: '1m', input_series: seriesAt(o, 0.5 * o.budget, 120), alert_rule_test: ['10m', '1h', '2h'].map((at) => ({ eval_time: at, alertname: page.alert, exp_alerts: [] })) },
      ];
    });
    const tested = testRules(groups, tests);
    expect(tested.output).toContain('SUCCESS');
    expect(tested.status).toBe(0);
  }, 120_000);
});
