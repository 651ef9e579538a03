import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hiddenClassProbe } from '../helpers';

/*
 * The package as another cdk8s app gets it: `npm pack` (which builds), unpacked into a consumer's
 * node_modules next to its own cdk8s, then a TypeScript app importing the package by name is
 * type-checked against the shipped .d.ts and run.
 */
const ROOT = path.join(__dirname, '..', '..');

test('npm pack ships the compiled library with types, no tests or dist; a consumer app imports it by name', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))[0];
  const files: string[] = packed.files.map((f: any) => f.path);
  expect(files).toContain('build/lib/index.js');
  expect(files).toContain('build/lib/index.d.ts');
  // Upstream schema files are not shipped: the package pins them (URL + SHA-256) and resolves them when needed.
  expect(files.filter((f) => /(^schemas\/|\.json$)/.test(f) && f !== 'package.json')).toEqual([]);
  expect(files.filter((f) => /^(__tests__|dist|app|config|bench|bin)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);

  const consumer = path.join(tmp, 'app');
  const modules = path.join(consumer, 'node_modules');
  fs.mkdirSync(path.join(modules, 'cdk8s-microservices'), { recursive: true });
  execFileSync('tar', ['-xzf', path.join(tmp, packed.filename), '-C', path.join(modules, 'cdk8s-microservices'), '--strip-components=1']);
  // The consumer's own dependencies: the same versions this project locks.
  for (const dep of ['cdk8s', 'constructs', 'js-yaml', 'ajv', 'fast-deep-equal', 'fast-uri', 'json-schema-traverse', 'require-from-string', '@marcbachmann', 'yaml', 'follow-redirects', 'fast-json-patch', 're2js']) {
    if (fs.existsSync(path.join(ROOT, 'node_modules', dep))) fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(modules, dep));
  }
  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  fs.writeFileSync(path.join(consumer, 'main.ts'), `
import { App } from 'cdk8s';
import { defaultChecks, MicroserviceChart, MicroserviceChartProps, renderApp, SchemaCheck, synthesize } from 'cdk8s-microservices';

const props: MicroserviceChartProps = { image: 'harbor.example.com/shop/user-service:v1.2.3', callers: [] };
const app = new App();
new MicroserviceChart(app, 'user-service', props);
const objects = renderApp(app).flatMap((f) => f.objects.map((o) => ({ file: f.fileName, manifest: o.manifest })));
// The worker threads of a parallel synth load the package's compiled worker module.
const parallel = synthesize({ apps: { prod: app }, outdir: 'dist', checks: defaultChecks({ externalNamespaces: ['default'] }), parallelOutput: true });
console.log(JSON.stringify({ kinds: objects.map((o) => o.manifest.kind), findings: new SchemaCheck().check(objects), files: [...parallel.files.keys()] }));
`);
  fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, module: 'node16', moduleResolution: 'node16', target: 'es2022', skipLibCheck: true, outDir: 'out' },
    files: ['main.ts'],
  }));
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', consumer], { cwd: consumer, stdio: 'pipe' });
  // The consumer has no network here: its pinned schema files come from a mirror directory, verified.
  const env = { ...process.env, CDK8S_SCHEMA_MIRROR: path.join(ROOT, '..', 'shared'), CDK8S_MICROSERVICES_CACHE: fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-cache-')) };
  const out = JSON.parse(execFileSync(process.execPath, [path.join(consumer, 'out', 'main.js')], { cwd: consumer, encoding: 'utf8', env }));
  expect(out.kinds).toEqual(['ServiceAccount', 'Service', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']);
  expect(out.findings).toEqual([]);
  expect(out.files).toEqual(['prod/50-user-service.yaml']);
  expect(fs.readFileSync(path.join(consumer, 'dist', 'prod', '50-user-service.yaml'), 'utf8')).toMatch(/^kind: Deployment$/m);
  // The shipped JavaScript is emitted as the project's bundles are (scripts/build-lib.js): objects built
  // by spreading share their hidden classes in a consumer's app too.
  const probe = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', hiddenClassProbe('cdk8s-microservices')], { cwd: consumer, encoding: 'utf8' });
  expect(JSON.parse(probe)).toEqual({ props: true, probe: true, podLabels: true, container: true });
}, 120_000);
