import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

/** Serializes objects as a multi-document YAML stream. */
export function toYamlStream(manifests: readonly unknown[]): string {
  return manifests.map((m) => yaml.dump(m, { noRefs: true, lineWidth: -1 })).join('---\n');
}

/**
 * Replaces `outdir` with exactly `files` (relative path → content) in one step: everything is
 * written to a sibling staging directory first and swapped in by rename, so a failure at any
 * point leaves the previous `outdir` as it was.
 */
export function publishDirectory(outdir: string, files: ReadonlyMap<string, string>): void {
  const target = path.resolve(outdir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.staging-`));
  try {
    writeTree(staging, files);
    const previous = `${staging}.previous`;
    const hadPrevious = fs.existsSync(target);
    if (hadPrevious) fs.renameSync(target, previous);
    try {
      fs.renameSync(staging, target);
    } catch (e) {
      if (hadPrevious) fs.renameSync(previous, target);
      throw e;
    }
    if (hadPrevious) fs.rmSync(previous, { recursive: true, force: true });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Writes `files` under `dir` (created when missing), leaving other files alone. */
export function writeTree(dir: string, files: ReadonlyMap<string, string>): void {
  const dirs = new Set<string>();
  for (const [rel, content] of files) {
    const file = path.join(dir, rel);
    const fileDir = path.dirname(file);
    if (!dirs.has(fileDir)) {
      fs.mkdirSync(fileDir, { recursive: true });
      dirs.add(fileDir);
    }
    fs.writeFileSync(file, content);
  }
}
