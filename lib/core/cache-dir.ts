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
  if (setting) return setting;
  const dir = path.join(os.tmpdir(), `cdk8s-microservices-cache-${os.userInfo().uid}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.statSync(dir);
    const uid = process.getuid?.();
    if ((uid !== undefined && stat.uid !== uid) || (stat.mode & 0o022) !== 0) return null;
  } catch {
    return null;
  }
  return dir;
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
