// `npm run validate [-- <path>...] [--json] [--external-namespace <ns>]... [--schema-location <path|url>]... [--ignore-missing-schemas]`
// Checks rendered manifests offline — schema (unknown fields are errors), CRDs with their CEL
// rules, metadata, cross-references and policy — and prints one line per finding. The project's
// cdk8s-microservices.yaml adds schema locations and mirrors, external namespaces and check severities.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import * as yaml from 'js-yaml';
import { defaultChecks, Finding, formatFinding, loadValidationConfig, ManifestObject, runChecks, SchemaSourceError, ValidationConfigError } from '../lib';

function yamlFiles(target: string): string[] {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return [target];
  return fs.readdirSync(target, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(target, e.name))
      : /\.ya?ml$/.test(e.name) ? [path.join(target, e.name)] : []));
}

/** Loads every document of every YAML file under `targets`. */
export function loadManifests(targets: string[], base = process.cwd()): { objects: ManifestObject[]; parseErrors: Finding[] } {
  const objects: ManifestObject[] = [];
  const parseErrors: Finding[] = [];
  for (const file of targets.flatMap(yamlFiles)) {
    const rel = path.relative(base, file) || file;
    try {
      for (const doc of yaml.loadAll(fs.readFileSync(file, 'utf8'))) {
        if (doc !== null && doc !== undefined) objects.push({ file: rel, manifest: doc });
      }
    } catch (e) {
      parseErrors.push({ file: rel, object: '-', path: '-', message: `not valid YAML: ${(e as Error).message.split('\n')[0]}`, severity: 'error', check: 'yaml' });
    }
  }
  return { objects, parseErrors };
}

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'json': { type: 'boolean', default: false },
      'external-namespace': { type: 'string', multiple: true },
      'schema-location': { type: 'string', multiple: true },
      'ignore-missing-schemas': { type: 'boolean', default: false },
      'help': { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm run validate -- [<path>...] [--json] [--external-namespace <ns>]... [--schema-location <file|dir|url>]... [--ignore-missing-schemas]\n'
      + '  default path: dist/; a --schema-location directory also serves as a mirror of the pinned upstream schema files');
    return 0;
  }
  const targets = positionals.length > 0 ? positionals : [path.join(__dirname, '..', 'dist')];
  for (const t of targets) {
    if (!fs.existsSync(t)) {
      console.error(`validate: no such file or directory: ${t}`);
      return 2;
    }
  }
  const started = Date.now();
  const { objects, parseErrors } = loadManifests(targets);
  const config = loadValidationConfig();
  const externalNamespaces = [...config.externalNamespaces, ...(values['external-namespace'] ?? [])];
  const checks = defaultChecks({
    ...(externalNamespaces.length > 0 ? { externalNamespaces } : {}),
    schemas: {
      schemaLocations: (values['schema-location'] ?? []).map((l) => (/^https?:\/\//.test(l) ? l : path.resolve(l))),
      ...(values['ignore-missing-schemas'] ? { ignoreMissingSchemas: true } : {}),
    },
  });
  // Each directory (dist/dev, dist/prod, ...) is a separate deployment target, checked on its own.
  const groups = new Map<string, ManifestObject[]>();
  for (const o of objects) {
    const dir = path.dirname(o.file);
    const group = groups.get(dir);
    if (group) group.push(o);
    else groups.set(dir, [o]);
  }
  const findings = [...parseErrors, ...[...groups.values()].flatMap((group) => runChecks(checks, group, config.severities))];
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  const errors = count('error');
  const summary = { objects: objects.length, files: new Set(objects.map((o) => o.file)).size, errors, warnings: count('warning'), exempted: count('exempted'), ms: Date.now() - started };
  if (values.json) {
    console.log(JSON.stringify({ ...summary, findings }, null, 2));
  } else {
    findings.filter((f) => f.severity !== 'exempted').forEach((f) => console.log(formatFinding(f)));
    console.log(`${summary.objects} objects in ${summary.files} files: ${errors} error(s), ${summary.warnings} warning(s), ${summary.exempted} exempted (${summary.ms} ms)`);
  }
  return errors > 0 ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (e) {
    if (!(e instanceof SchemaSourceError || e instanceof ValidationConfigError)) throw e;
    console.error(`validate: ${e.message}`);
    process.exitCode = 2;
  }
}
