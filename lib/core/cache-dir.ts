import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Where caches of derived data live (compiled validators, hashes of objects found valid, YAML
 * of objects): `CDK8S_MICROSERVICES_CACHE`, `off` for nowhere, else a per-user directory in the
 * shared temp directory. A cache holds code that is run and results that are trusted, so a
 * temp directory someone else owns or can write to is not used.
 */
export function defaultCacheDir(): string | null {
  const setting = process.env.CDK8S_MICROSERVICES_CACHE;
  if (setting === 'off') return null;
  if (setting) {
    pruneCacheDir(setting);
    return setting;
  }
  const dir = path.join(os.tmpdir(), `cdk8s-microservices-cache-${os.userInfo().uid}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.statSync(dir);
    const uid = process.getuid?.();
    if ((uid !== undefined && stat.uid !== uid) || (stat.mode & 0o022) !== 0) return null;
  } catch {
    return null;
  }
  pruneCacheDir(dir);
  return dir;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Cache files unused for this long are removed: caches of old schema versions, of output directories gone. */
export const CACHE_UNUSED_DAYS = 30;

/**
 * Records that `file` is in use (its modification time), so {@link pruneCacheDir} keeps it.
 * Cheap: it writes only when the mark is a day old.
 */
export function markCacheFileUsed(file: string): void {
  try {
    if (Date.now() - fs.statSync(file).mtimeMs > DAY_MS) {
      const now = new Date();
      fs.utimesSync(file, now, now);
    }
  } catch {
    // not there, or not ours to touch: nothing to keep
  }
}

/**
 * Removes the files of `dir` unused for {@link CACHE_UNUSED_DAYS} days. Every schema or library
 * version and every output directory leaves files behind; without this the directory only grows.
 * Runs at most once a day per directory (a marker file records when).
 */
export function pruneCacheDir(dir: string, now = Date.now()): void {
  const marker = path.join(dir, '.pruned');
  try {
    if (now - fs.statSync(marker).mtimeMs < DAY_MS) return;
  } catch {
    // never pruned
  }
  try {
    fs.writeFileSync(marker, '');
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      const stat = fs.statSync(file);
      if (name !== '.pruned' && stat.isFile() && now - stat.mtimeMs > CACHE_UNUSED_DAYS * DAY_MS) fs.rmSync(file, { force: true });
    }
  } catch {
    // pruning is housekeeping only
  }
}

/**
 * A short key of the output directory `outdir` (by its absolute path), for cache files kept per
 * output: a large app's caches are not read by every small one.
 */
export function outputCacheKey(outdir: string): string {
  return crypto.createHash('sha1').update(path.resolve(outdir)).digest('hex').slice(0, 16);
}

/** Writes `file` by rename, so readers never see half a file; failures are ignored (caching is an optimization). */
export function writeCacheFile(file: string, content: string | Buffer): void {
  // Worker threads share the process id; the thread id keeps their temporary files apart.
  const temporary = `${file}.${process.pid}-${(require('worker_threads') as typeof import('worker_threads')).threadId}`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, file);
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // nothing to clean up
    }
  }
}

/**
 * Appends `content` to `file` (created when missing) in one write; failures are ignored (caching
 * is an optimization). Why: rewriting a cache of 15 MB to add the 15 kB one edit changed cost a
 * third of a second; readers check what they read (checksums, fixed-length entries), so an append
 * cut short or interleaved with another process's is dropped, never trusted.
 */
export function appendCacheFile(file: string, content: string | Buffer): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.appendFileSync(file, content);
  } catch {
    // not writable: the next run computes again
  }
}

/** The installed version of package `name` (part of cache keys), found from its entry point. */
export function packageVersion(name: string): string {
  for (let dir = path.dirname(require.resolve(name)); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === name) return pkg.version;
    } catch {
      // no package.json at this level
    }
  }
  return 'unknown';
}
