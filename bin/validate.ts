// `npm run validate [-- <path>...] [--json] [--external-namespace <ns>]... [--external-object <Kind/[ns/]name>]... [--schema-location <path|url>]... [--ignore-missing-schemas]`
// Checks rendered manifests offline — schema (unknown fields are errors), CRDs with their CEL
// rules, metadata, cross-references and policy — and prints one line per finding. The project's
// cdk8s-microservices.yaml adds schema locations and mirrors, external namespaces and check severities.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { defaultCacheDir, defaultChecks, Finding, formatFinding, loadManifests, loadValidationConfig, ManifestObject, runChecks, SchemaSourceError, ValidationConfigError } from '../lib';

/** Loads every document of every YAML file under `targets` (lib/core/load-manifests.ts, shared with `npm run diff`). */
export { loadManifests };

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'json': { type: 'boolean', default: false },
      'external-namespace': { type: 'string', multiple: true },
      'external-object': { type: 'string', multiple: true },
      'schema-location': { type: 'string', multiple: true },
      'ignore-missing-schemas': { type: 'boolean', default: false },
      'help': { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm run validate -- [<path>...] [--json] [--external-namespace <ns>]... [--external-object <Kind/[ns/]name>]... [--schema-location <file|dir|url>]... [--ignore-missing-schemas]\n'
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
  const { objects, parseErrors } = loadManifests(targets, { compareYaml11: true });
  const config = loadValidationConfig();
  const externalNamespaces = [...config.externalNamespaces, ...(values['external-namespace'] ?? [])];
  const checks = defaultChecks({
    ...(externalNamespaces.length > 0 ? { externalNamespaces } : {}),
    externalObjects: [...config.externalObjects, ...(values['external-object'] ?? [])],
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
  const findings = [...parseErrors, ...[...groups.values()].flatMap((group) => runChecks(checks, group, config.severities, defaultCacheDir()))];
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
