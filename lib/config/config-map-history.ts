import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

/** A service configuration rendered before: its content-hashed name and data. */
export interface PreviousConfigMap {
  /** `<service>-config-<hash>`. */
  readonly name: string;
  /** The ConfigMap's data, as rendered then. */
  readonly data: Record<string, string>;
}

/** How many configurations of a service are kept by default, the current one included. */
export const DEFAULT_CONFIG_RETENTION = 3;

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
  return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f));
}

/**
 * The configurations of `serviceName` in a previous output directory (e.g. the committed
 * `dist/prod`), newest first: a {@link ServiceConfigMap} writes the current one first and the
 * retained ones after it, newest first, so the order in the file is the history. Objects that are
 * not an immutable `<service>-config-<hash>` ConfigMap are ignored, as are unreadable files (the
 * synth's checks report those).
 */
export function previousConfigMaps(outputDir: string, serviceName: string): PreviousConfigMap[] {
  const pattern = new RegExp(`^${serviceName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-config-[0-9a-z]+$`);
  const out: PreviousConfigMap[] = [];
  for (const file of yamlFiles(outputDir)) {
    let docs: unknown[];
    try {
      docs = yaml.loadAll(fs.readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    for (const doc of docs as any[]) {
      if (doc?.kind !== 'ConfigMap' || doc.immutable !== true || !pattern.test(doc.metadata?.name ?? '')) continue;
      if (out.some((p) => p.name === doc.metadata.name)) continue;
      out.push({ name: doc.metadata.name, data: doc.data ?? {} });
    }
  }
  return out;
}
