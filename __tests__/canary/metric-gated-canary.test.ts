import { spawn, spawnSync } from 'child_process';
import * as http from 'http';
import { canaryCommand, canarySandbox, ROOT } from '../helpers';
import { prometheusBinary, PrometheusFixture } from './prometheus-harness';

/*
 * `npm run canary -- user-service next --prometheus <url>` against a real Prometheus (Debian's
 * package) scraping a fixture exporter with Istio-shaped metrics. .ci/run installs Prometheus and
 * sets REQUIRE_PROMETHEUS=1, so in CI these tests cannot be skipped.
 */
const SERVICE = 'user-service.ecommerce.svc.cluster.local';
const available = prometheusBinary() !== undefined;
if (!available && process.env.REQUIRE_PROMETHEUS) throw new Error('REQUIRE_PROMETHEUS is set but no prometheus binary was found (apt-get install prometheus)');
if (!available) console.warn('metric-gated canary tests SKIPPED: no prometheus binary (apt-get install prometheus)');
const suite = available ? describe : describe.skip;

/** `user-service next ...` against scratch copies of the state and dist/. */
function sandbox() {
  const box = canarySandbox();
  const command = (args: string[]) => canaryCommand('user-service', 'next', ...args);
  return {
    ...box,
    run: (...args: string[]) => spawnSync(process.execPath, command(args), { cwd: ROOT, encoding: 'utf8', env: box.env }),
    // Asynchronous, for a fake Prometheus served from this very process.
    runAsync: (...args: string[]) => new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, command(args), { cwd: ROOT, env: box.env });
      let stderr = '';
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('close', (status) => resolve({ status, stderr }));
    }),
  };
}

suite('metric-gated canary steps against a real Prometheus', () => {
  const healthy = new PrometheusFixture();
  const erroring = new PrometheusFixture();
  const slow = new PrometheusFixture();
  const otherService = new PrometheusFixture();

  beforeAll(async () => {
    await Promise.all([
      healthy.start(SERVICE, 20, 0.001, 80), // 0.1 % errors, P99 ≈ 100 ms
      erroring.start(SERVICE, 20, 0.05, 80), // 5 % errors
      slow.start(SERVICE, 20, 0.001, 900), // P99 ≈ 1 s
      otherService.start('order-service.ecommerce.svc.cluster.local', 20, 0, 50), // no data for user-service
    ]);
  }, 60_000);
  afterAll(() => [healthy, erroring, slow, otherService].forEach((p) => p.stop()));

  test('healthy: advances to the next step of the plan (10 → 20) and prints the numbers', () => {
    const s = sandbox();
    const r = s.run('--prometheus', healthy.url, '--window', '10s');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/canary user-service\.ecommerce\.svc\.cluster\.local version v2: [\d.]+ req\/s, error rate 0\.\d\d% \(max 1\.00%\), P99 \d+ ms \(max 500 ms\), window 10s/);
    expect(r.stdout).toContain('healthy: advancing to 20%');
    expect(s.state().canary).toEqual({ imageTag: 'v1.3.0', weight: 20 });
  }, 30_000);

  test('error rate over the bound: rolls back and exits non-zero with the measured values', () => {
    const s = sandbox();
    const r = s.run('--prometheus', erroring.url, '--window', '10s');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/unhealthy \(error rate [4-6]\.\d\d% above 1\.00%\): rolling back to 100% stable/);
    expect(s.state().canary).toEqual({ imageTag: 'v1.3.0', weight: 0, rolledBack: true });
  }, 30_000);

  test('P99 over the bound: rolls back', () => {
    const s = sandbox();
    const r = s.run('--prometheus', slow.url, '--window', '10s');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/unhealthy \(P99 9\d\d ms above 500 ms\)/);
    expect(s.state().canary.rolledBack).toBe(true);
  }, 30_000);

  test('thresholds from the command line override the environment defaults', () => {
    const s = sandbox();
    const r = s.run('--prometheus', slow.url, '--window', '10s', '--max-p99-ms', '2000');
    expect(r.status).toBe(0);
    expect(s.state().canary.weight).toBe(20);
  }, 30_000);

  test('no data for the canary: nothing changes, exit non-zero, says why', () => {
    const s = sandbox();
    const before = s.snapshot();
    const r = s.run('--prometheus', otherService.url, '--window', '10s');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('canary: nothing changed: no istio_requests_total series for user-service.ecommerce.svc.cluster.local version v2');
    expect(s.snapshot()).toBe(before);
  }, 30_000);

  test('Prometheus down: nothing changes', () => {
    const s = sandbox();
    const before = s.snapshot();
    const url = healthy.url.replace(/:\d+$/, ':9'); // discard port: nothing listens
    const r = s.run('--prometheus', url, '--window', '10s');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('canary: nothing changed: Prometheus at http://127.0.0.1:9 is unreachable');
    expect(s.snapshot()).toBe(before);
  }, 30_000);

  test('an error response: nothing changes', async () => {
    const server = http.createServer((_req, res) => res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"status":"error","errorType":"unavailable","error":"TSDB not ready"}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const s = sandbox();
      const before = s.snapshot();
      const port = (server.address() as any).port;
      const r = await s.runAsync('--prometheus', `http://127.0.0.1:${port}`, '--window', '10s');
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('answered HTTP 503: unavailable TSDB not ready');
      expect(s.snapshot()).toBe(before);
    } finally {
      server.close();
    }
  }, 30_000);
});
