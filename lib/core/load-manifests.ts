import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Finding, ManifestObject } from '../validation/finding';
import { yaml11Differences } from '../validation/yaml-readings';

function yamlFiles(target: string): string[] {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return [target];
  return fs.readdirSync(target, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(target, e.name))
      : /\.ya?ml$/.test(e.name) ? [path.join(target, e.name)] : []));
}

/** Options of {@link loadManifests}. */
export interface LoadManifestsOptions {
  /** Paths in findings are relative to this directory. @default the working directory */
  readonly base?: string;
  /**
   * Report values that YAML 1.1 readers (kubectl, Argo CD) read differently from this YAML 1.2
   * reading, as `yaml/1.1` errors among the parse errors. @default false
   */
  readonly compareYaml11?: boolean;
}

/**
 * Loads every document of every YAML file under `targets` (files or directories, recursively, in
 * name order); `file` is relative to the base. Used by `npm run validate` and `npm run diff`.
 */
export function loadManifests(targets: string[], options: LoadManifestsOptions = {}): { objects: ManifestObject[]; parseErrors: Finding[] } {
  const objects: ManifestObject[] = [];
  const parseErrors: Finding[] = [];
  for (const file of targets.flatMap(yamlFiles)) {
    const rel = path.relative(options.base ?? process.cwd(), file) || file;
    try {
      const text = fs.readFileSync(file, 'utf8');
      const docs = yaml.loadAll(text);
      for (const doc of docs) {
        if (doc !== null && doc !== undefined) objects.push({ file: rel, manifest: doc });
      }
      if (options.compareYaml11) parseErrors.push(...yaml11Differences(rel, text, docs));
    } catch (e) {
      parseErrors.push({ file: rel, object: '-', path: '-', message: `not valid YAML: ${(e as Error).message.split('\n')[0]}`, severity: 'error', check: 'yaml' });
    }
  }
  return { objects, parseErrors };
}
