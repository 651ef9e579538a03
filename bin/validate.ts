// `npm run validate [-- <path>...] [--json] [--external-namespace <ns>]...`
// Checks rendered manifests offline — schema (unknown fields are errors), CRDs with their CEL
// rules, metadata, cross-references and policy — and prints one line per finding.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import * as yaml from 'js-yaml';
import { defaultChecks, Finding, formatFinding, ManifestObject, runChecks } from '../lib';

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
