#!/usr/bin/env node
// Generates imports/k8s.ts from the pinned Kubernetes definitions (lib/schemas/schema-sources.ts,
// resolved and verified by scripts/schema-files.js), offline when a mirror has them.
// `cdk8s import k8s` would download a schema of its own choosing; this reuses the CLI's own
// generator but feeds it the pinned file, limited to the kinds the library emits so that
// type-checking and loading stay fast.
const fs = require('fs');
const path = require('path');
// The CLI exports no library entry points, so its modules are loaded by file path.
const cliDir = path.dirname(require.resolve('cdk8s-cli/package.json'));
const cliUtil = require(path.join(cliDir, 'lib', 'util'));
const { ImportKubernetesApi } = require(path.join(cliDir, 'lib', 'import', 'k8s'));
const { Language } = require(path.join(cliDir, 'lib', 'import', 'base'));

const KINDS = new Set([
  'io.k8s.api.core.v1.Namespace',
  'io.k8s.api.core.v1.Service',
  'io.k8s.api.core.v1.ServiceAccount',
  'io.k8s.api.core.v1.ConfigMap',
  'io.k8s.api.core.v1.ResourceQuota',
  'io.k8s.api.core.v1.LimitRange',
  'io.k8s.api.apps.v1.Deployment',
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
  'io.k8s.api.policy.v1.PodDisruptionBudget',
  'io.k8s.api.networking.v1.NetworkPolicy',
  'io.k8s.api.networking.v1.Ingress',
]);

const os = require('os');
const { execFileSync } = require('child_process');

const root = path.join(__dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'import-k8s-'));
execFileSync(process.execPath, [path.join(__dirname, 'schema-files.js'), tmp, 'kubernetes-swagger.json'], { stdio: 'inherit' });
const schema = JSON.parse(fs.readFileSync(path.join(tmp, 'kubernetes-swagger.json'), 'utf8'));
fs.rmSync(tmp, { recursive: true, force: true });
for (const [name, def] of Object.entries(schema.definitions)) {
  if (!KINDS.has(name)) delete def['x-kubernetes-group-version-kind'];
}
// The published definitions type these as plain strings; cdk8s's own copies declare them as
// string-or-number so that the generated IntOrString and Quantity classes accept integers
// (a PodDisruptionBudget's `maxUnavailable: 1` must be a number, not "1").
for (const name of ['io.k8s.apimachinery.pkg.util.intstr.IntOrString', 'io.k8s.apimachinery.pkg.api.resource.Quantity']) {
  const { description } = schema.definitions[name];
  schema.definitions[name] = { description, oneOf: [{ type: 'string' }, { type: 'number' }] };
}
cliUtil.download = async () => JSON.stringify({ definitions: schema.definitions });

new ImportKubernetesApi({ apiVersion: 'local' })
  .import({ outdir: path.join(root, 'imports'), targetLanguage: Language.TYPESCRIPT, moduleNamePrefix: undefined })
  .then(() => console.log('imports/k8s.ts generated'));
