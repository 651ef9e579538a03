import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

let cached: string | undefined;

/**
 * A hash of every source file of the library (this `lib/` tree, `.ts` from source or `.js`
 * compiled): what caches of verdicts computed by the library's code are keyed by, so that any
 * change to that code starts them over. Computed once per thread (~150 small files).
 */
export function libraryCodeVersion(): string {
  if (cached) return cached;
  const root = path.join(__dirname, '..');
  const hash = createHash('sha1');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
    }
  };
  walk(root);
  return (cached = hash.digest('hex'));
}

/**
 * Takes {@link libraryCodeVersion} as another thread of this process computed it (from the same
 * files), rather than reading ~150 files again: the output worker did, at ~70 ms of its start.
 */
export function adoptLibraryCodeVersion(version: string): void {
  cached = version;
}
