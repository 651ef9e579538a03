import { canaryQueries, judgeCanary, PrometheusClient, resolveThresholds } from '../../lib';

describe('canary analysis', () => {
  test('queries select the canary subset as reported by the destination', () => {
    const q = canaryQueries('user-service.ecommerce.svc.cluster.local', 'v2', '5m');
    expect(q.requestRate).toBe('sum(rate(istio_requests_total{destination_service="user-service.ecommerce.svc.cluster.local",destination_version="v2",reporter="destination"}[5m]))');
    expect(q.errorRate).toContain('response_code=~"5.."');
    expect(q.p99Ms).toBe('histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{destination_service="user-service.ecommerce.svc.cluster.local",destination_version="v2",reporter="destination"}[5m])))');
  });

  test('judgement against the bounds', () => {
    const t = resolveThresholds({});
    expect(t).toEqual({ maxErrorRate: 0.01, maxP99Ms: 500, window: '5m' });
    expect(judgeCanary({ requestRate: 10, errorRate: 0.005, p99Ms: 300 }, t)).toEqual({ healthy: true, reasons: [] });
    expect(judgeCanary({ requestRate: 10, errorRate: 0.02, p99Ms: 800 }, t)).toEqual({
      healthy: false, reasons: ['error rate 2.00% above 1.00%', 'P99 800 ms above 500 ms'],
    });
  });

  test('bad thresholds and URLs are refused', () => {
    expect(() => resolveThresholds({ maxErrorRate: 5 })).toThrow('max error rate must be between 0 and 1, got 5');
    expect(() => resolveThresholds({ window: '5 minutes' })).toThrow(/window must be a Prometheus duration/);
    expect(() => resolveThresholds({ maxP99Ms: 0 })).toThrow(/positive number/);
    expect(() => new PrometheusClient('prometheus:9090')).toThrow(/http\(s\):\/\//);
  });
});
