import { canaryAnalysisDefaults } from '../../app/canary-defaults';
import { dev, EnvironmentConfig, prod } from '../../config';

describe('defaults of `npm run canary -- <service> next --prometheus`', () => {
  test('prod: from the services\' SLOs (99.9 % × burn rate 10 = 1 %, latency threshold 500 ms), as seed 004\'s canary-deploy.sh', () => {
    expect(canaryAnalysisDefaults(prod, 'user-service')).toEqual({ maxErrorRate: 0.01, maxP99Ms: 500, window: '5m' });
    // payment-service: 99.95 % at burn rate 20 — the same 1 % bound from a stricter objective.
    expect(canaryAnalysisDefaults(prod, 'payment-service')).toEqual({ maxErrorRate: 0.01, maxP99Ms: 500, window: '5m' });
  });

  test('explicit traffic.<service>.canaryAnalysis fields win over the SLO, field by field', () => {
    const env: EnvironmentConfig = { ...prod, traffic: { ...prod.traffic, 'user-service': { ...prod.traffic!['user-service'], canaryAnalysis: { maxP99Ms: 800, maxErrorRate: undefined } } } };
    expect(canaryAnalysisDefaults(env, 'user-service')).toEqual({ maxErrorRate: 0.01, maxP99Ms: 800, window: '5m' });
  });

  test('a stricter SLO tightens the gate; no SLO and no settings leaves the gate\'s own defaults', () => {
    const strict: EnvironmentConfig = { ...prod, observability: { slos: { 'order-service': { availability: { targetPercent: 99.99 }, latency: { targetPercent: 99, thresholdMs: 250 } } } } };
    expect(canaryAnalysisDefaults(strict, 'order-service')).toEqual({ maxErrorRate: 0.001, maxP99Ms: 250, window: '5m' });
    expect(canaryAnalysisDefaults(dev, 'user-service')).toEqual({});
  });

  test('a bad SLO in the config is reported with the config path', () => {
    const bad: EnvironmentConfig = { ...prod, observability: { slos: { 'order-service': { latency: { targetPercent: 99, thresholdMs: 300 } } } } };
    expect(() => canaryAnalysisDefaults(bad, 'order-service')).toThrow('[config/prod.ts] invalid observability.slos.order-service.latency.thresholdMs: 300');
  });
});
