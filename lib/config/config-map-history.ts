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
  for (const doc of immutableConfigMaps(outputDir)) {
    if (!pattern.test(doc.metadata?.name ?? '')) continue;
    if (out.some((p) => p.name === doc.metadata.name)) continue;
    out.push({ name: doc.metadata.name, data: doc.data ?? {} });
  }
  return out;
}

/** Per directory: the files' sizes and times when read, and the immutable ConfigMaps found. */
const readDirectories = new Map<string, { readonly stamp: string; readonly configMaps: readonly any[] }>();

/**
 * The immutable ConfigMaps of the YAML files of `dir`, in file order. Every service of an app
 * asks for its own, so a directory is parsed once and re-read only when a file changed; only the
 * documents that are immutable ConfigMaps are parsed.
 */
function immutableConfigMaps(dir: string): readonly any[] {
  const files = yamlFiles(dir);
  const stamp = files.map((f) => {
    const st = fs.statSync(f);
    return `${f}:${st.size}:${st.mtimeMs}`;
  }).join('|');
  const known = readDirectories.get(dir);
  if (known?.stamp === stamp) return known.configMaps;
  const configMaps: any[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const part of text.split(/^---$/m)) {
      if (!/^kind: ConfigMap$/m.test(part) || !/^immutable: true$/m.test(part)) continue;
      try {
        const doc = yaml.load(part) as any;
        if (doc?.kind === 'ConfigMap' && doc.immutable === true) configMaps.push(doc);
      } catch {
        // unreadable: the synth's checks report it
      }
    }
  }
  readDirectories.set(dir, { stamp, configMaps });
  return configMaps;
}
