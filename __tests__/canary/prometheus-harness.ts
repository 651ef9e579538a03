import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** The Prometheus binary (Debian's `prometheus` package), if installed. */
export function prometheusBinary(): string | undefined {
  for (const candidate of [process.env.PROMETHEUS_BIN, '/usr/bin/prometheus']) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('which', ['prometheus'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A fixture exporter plus a real Prometheus scraping it every second, on loopback. */
export class PrometheusFixture {
  private readonly processes: ChildProcess[] = [];
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-'));
  public url = '';

  /**
   * Starts an exporter for `service` (rps, error ratio, latency of the canary) and Prometheus.
   * `errorsFrom` makes the canary's error ratio `ratio` while its weight in a canary state file is at least `weight`.
   */
  public async start(service: string, rps: number, errorRatio: number, latencyMs: number,
    errorsFrom?: { stateFile: string; service: string; weight: number; ratio: number }): Promise<this> {
    const scheduled = errorsFrom ? [errorsFrom.stateFile, errorsFrom.service, String(errorsFrom.weight), String(errorsFrom.ratio)] : [];
    const exporter = spawn(process.execPath, [path.join(__dirname, '..', 'fixtures', 'istio-metrics-exporter.js'), service, String(rps), String(errorRatio), String(latencyMs), ...scheduled]);
    this.processes.push(exporter);
    const exporterPort = await new Promise<number>((resolve, reject) => {
      exporter.stdout!.once('data', (d) => resolve(Number(String(d).trim())));
      exporter.once('exit', (code) => reject(new Error(`exporter exited ${code}`)));
    });
    const port = await freePort();
    fs.writeFileSync(path.join(this.dir, 'prometheus.yml'), [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      `  - job_name: fixture`,
      `    static_configs: [{ targets: ['127.0.0.1:${exporterPort}'] }]`,
    ].join('\n'));
    const prometheus = spawn(prometheusBinary()!, [
      `--config.file=${path.join(this.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(this.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=error',
    ], { stdio: 'ignore' });
    this.processes.push(prometheus);
    this.url = `http://127.0.0.1:${port}`;
    await waitFor('Prometheus to be ready', async () => ((await fetch(`${this.url}/-/ready`)).ok ? true : undefined));
    // rate() over the test window needs a few scrapes of the exporter.
    await waitFor('scraped traffic', async () => {
      const r = await (await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent('sum(rate(istio_requests_total[10s]))')}`)).json() as any;
      return r.data?.result?.length > 0 && Number(r.data.result[0].value[1]) > 0 ? true : undefined;
    });
    return this;
  }

  public stop(): void {
    for (const p of this.processes) p.kill('SIGKILL');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
