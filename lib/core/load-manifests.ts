import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Finding, ManifestObject } from '../validation/finding';

function yamlFiles(target: string): string[] {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return [target];
  return fs.readdirSync(target, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(target, e.name))
      : /\.ya?ml$/.test(e.name) ? [path.join(target, e.name)] : []));
}

/**
 * Loads every document of every YAML file under `targets` (files or directories, recursively, in
 * name order); `file` is relative to `base`. Used by `npm run validate` and `npm run diff`.
 */
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
