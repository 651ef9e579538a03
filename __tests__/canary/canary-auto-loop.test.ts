import {
  CanaryAutoDriver, CanaryMeasurement, CanaryOperationError, NoCanaryDataError, ProgressLine, PrometheusUnavailableError, resolveThresholds,
  runCanaryAuto, ServiceCanaryState,
} from '../../lib';

/*
 * The loop of `npm run canary -- <service> auto` with a scripted driver (no Prometheus, no git):
 * the order of state changes and how each outcome is reached. The real-Prometheus scenarios are
 * in canary-auto.test.ts.
 */
const healthy: CanaryMeasurement = { requestRate: 10, errorRate: 0.001, p99Ms: 100 };
const failing: CanaryMeasurement = { requestRate: 10, errorRate: 0.2, p99Ms: 100 };

function driver(initial: ServiceCanaryState, measurements: Array<CanaryMeasurement | Error>, probe?: Error) {
  let state = initial;
  const applied: string[] = [];
  const d: CanaryAutoDriver = {
    readState: () => state,
    apply: (s, message) => {
      state = s;
      applied.push(message);
      return 'recorded';
    },
    stageStartedAt: () => undefined,
    probe: async () => { if (probe) throw probe; },
    measure: async () => {
      const m = measurements.shift();
      if (!m) throw new Error('measured more often than scripted');
      if (m instanceof Error) throw m;
      return m;
    },
  };
  return { d, applied, state: () => state };
}

const options = (overrides: Record<string, unknown> = {}) => ({
  service: 'user-service', environment: 'prod', plan: [5, 20, 50, 100], intervalMs: 5, maxDurationMs: 60_000,
  thresholds: resolveThresholds({}), tickMs: 1, ...overrides,
});
const quiet = () => new ProgressLine({ isTTY: false, write: () => undefined });

describe('runCanaryAuto', () => {
  test('a canary at 0 % starts with the first stage; healthy stages advance and the last promotes', async () => {
    const { d, applied, state } = driver({ stable: { imageTag: 'v1' }, canary: { imageTag: 'v2', weight: 0 } }, [healthy, healthy, healthy, healthy]);
    const r = await runCanaryAuto(options(), d, quiet());
    expect(r.outcome).toBe('promoted');
    expect(applied).toEqual([
      'canary: user-service in prod to 5% (stage 1/4)',
      'canary: user-service in prod to 20% (stage 2/4)',
      'canary: user-service in prod to 50% (stage 3/4)',
      'canary: user-service in prod to 100% (stage 4/4)',
      'canary: promote user-service v2 in prod after 5 → 20 → 50 → 100',
    ]);
    expect(r.measurements.map((m) => m.weight)).toEqual([5, 20, 50, 100]);
    expect(state()).toEqual({ stable: { imageTag: 'v2' } });
  });

  test('a plan that ends below 100 % promotes after its last stage', async () => {
    const { d, applied } = driver({ stable: { imageTag: 'v1' }, canary: { imageTag: 'v2', weight: 25 } }, [healthy, healthy]);
    const r = await runCanaryAuto(options({ plan: [25, 50] }), d, quiet());
    expect(r.outcome).toBe('promoted');
    expect(applied).toEqual(['canary: user-service in prod to 50% (stage 2/2)', 'canary: promote user-service v2 in prod after 25 → 50']);
  });

  test('an unhealthy measurement rolls back at once', async () => {
    const { d, applied, state } = driver({ stable: { imageTag: 'v1' }, canary: { imageTag: 'v2', weight: 5 } }, [healthy, failing]);
    const r = await runCanaryAuto(options(), d, quiet());
    expect(r.outcome).toBe('rolled-back');
    expect(r.reason).toBe('rolled back at 20%: error rate 20.00% above 1.00%');
    expect(applied[1]).toBe('canary: roll back user-service in prod to 100% stable: error rate 20.00% above 1.00% at 20%');
    expect(state().canary).toEqual({ imageTag: 'v2', weight: 0, rolledBack: true });
  });

  test.each([
    ['unreachable', new PrometheusUnavailableError('Prometheus at http://p is unreachable')],
    ['without data', new NoCanaryDataError('no traffic reached user-service')],
  ])('Prometheus %s in the middle of a run: paused, the committed stage stays', async (_name, error) => {
    const { d, applied, state } = driver({ stable: { imageTag: 'v1' }, canary: { imageTag: 'v2', weight: 5 } }, [healthy, error]);
    const r = await runCanaryAuto(options(), d, quiet());
    expect(r.outcome).toBe('paused');
    expect(r.reason).toMatch(/^paused at 20%, nothing changed: /);
    expect(applied).toEqual(['canary: user-service in prod to 20% (stage 2/4)']);
    expect(state().canary!.weight).toBe(20);
  });

  test('Prometheus unreachable at the start: nothing changes, even for a canary at 0 %', async () => {
    const { d, applied } = driver({ stable: { imageTag: 'v1' }, canary: { imageTag: 'v2', weight: 0 } }, [], new PrometheusUnavailableError('down'));
    const r = await runCanaryAuto(options(), d, quiet());
    expect(r.outcome).toBe('paused');
    expect(applied).toEqual([]);
  });

  test('the max duration ends the run before a measurement it could not wait for', async () => {
    const { d, applied } = driver({ stable: { imageTag: 'v1' }, canary: { imageTag: 'v2', weight: 5 } }, []);
    const r = await runCanaryAuto(options({ intervalMs: 10_000, maxDurationMs: 1_000 }), d, quiet());
    expect(r.outcome).toBe('timed-out');
    expect(applied).toEqual([]);
  });

  test('an abort during the wait stops at once', async () => {
    const { d, applied } = driver({ stable: { imageTag: 'v1' }, canary: { imageTag: 'v2', weight: 5 } }, []);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    const r = await runCanaryAuto(options({ intervalMs: 60_000, maxDurationMs: 600_000, tickMs: 1000, signal: controller.signal }), d, quiet());
    expect(r.outcome).toBe('interrupted');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(applied).toEqual([]);
  });

  test.each<[string, ServiceCanaryState, RegExp]>([
    ['no canary track', { stable: { imageTag: 'v1' } }, /user-service has no canary track in prod/],
    ['a rolled-back canary', { stable: { imageTag: 'v1' }, canary: { imageTag: 'v2', weight: 0, rolledBack: true } }, /user-service was rolled back; set weights explicitly/],
  ])('refuses %s', async (_name, state, message) => {
    const { d } = driver(state, []);
    await expect(runCanaryAuto(options(), d, quiet())).rejects.toThrow(CanaryOperationError);
    await expect(runCanaryAuto(options(), d, quiet())).rejects.toThrow(message);
  });
});
