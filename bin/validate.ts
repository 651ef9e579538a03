// `npm run validate [-- <path>...] [--json] [--external-namespace <ns>]...`
// Checks rendered manifests offline — schema (unknown fields are errors), CRDs with their CEL
// rules, metadata, cross-references and policy — and prints one line per finding.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { defaultChecks, formatFinding, loadManifests, ManifestObject, runChecks } from '../lib';

/** Loads every document of every YAML file under `targets` (moved to lib/core/load-manifests.ts, shared with `npm run diff`). */
export { loadManifests };

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'json': { type: 'boolean', default: false },
      'external-namespace': { type: 'string', multiple: true },
      'help': { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm run validate -- [<path>...] [--json] [--external-namespace <ns>]...\n  default path: dist/');
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
  const checks = defaultChecks(values['external-namespace'] ? { externalNamespaces: values['external-namespace'] } : {});
  // Each directory (dist/dev, dist/prod, ...) is a separate deployment target, checked on its own.
  const groups = new Map<string, ManifestObject[]>();
  for (const o of objects) {
    const dir = path.dirname(o.file);
    const group = groups.get(dir);
    if (group) group.push(o);
    else groups.set(dir, [o]);
  }
  const findings = [...parseErrors, ...[...groups.values()].flatMap((group) => runChecks(checks, group))];
  const errors = findings.filter((f) => f.severity === 'error').length;
  const summary = { objects: objects.length, files: new Set(objects.map((o) => o.file)).size, errors, warnings: findings.length - errors, ms: Date.now() - started };
  if (values.json) {
    console.log(JSON.stringify({ ...summary, findings }, null, 2));
  } else {
    findings.forEach((f) => console.log(formatFinding(f)));
    console.log(`${summary.objects} objects in ${summary.files} files: ${errors} error(s), ${summary.warnings} warning(s) (${summary.ms} ms)`);
  }
  return errors > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
