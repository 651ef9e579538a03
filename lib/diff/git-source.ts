import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** A git ref that cannot be read, or a directory outside a repository. */
export class DistSourceError extends Error {}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? '').trim().split('\n')[0];
    throw new DistSourceError(`git ${args.join(' ')}: ${stderr || (e as Error).message}`);
  }
}

/** The nearest existing directory at or above `p` (dist/ may not exist in the working tree). */
function existingDir(p: string): string {
  let dir = path.resolve(p);
  while (!fs.existsSync(dir)) dir = path.dirname(dir);
  return fs.statSync(dir).isDirectory() ? dir : path.dirname(dir);
}

/** True when `ref` names a commit in the repository that holds `distDir`. */
export function isGitRef(distDir: string, ref: string): boolean {
  if (ref.startsWith('-')) return false;
  try {
    git(existingDir(distDir), ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes the YAML files of `distDir` as committed at `ref` into `target` (same relative layout),
 * reading blobs with `git ls-tree` / `git show`: nothing is checked out, the working tree is untouched.
 * Returns the number of files written (0 when `ref` has no dist/).
 */
export function exportDistAtRef(distDir: string, ref: string, target: string): number {
  const cwd = existingDir(distDir);
  const top = git(cwd, ['rev-parse', '--show-toplevel']).trim();
  const rel = path.relative(fs.realpathSync(top), path.join(fs.realpathSync(cwd), path.relative(cwd, path.resolve(distDir)))).split(path.sep).join('/');
  if (rel.startsWith('..')) throw new DistSourceError(`${distDir} is outside the git repository ${top}`);
  const listing = git(top, ['ls-tree', '-r', '-z', '--name-only', `${ref}^{commit}`, '--', rel || '.']);
  let count = 0;
  for (const file of listing.split('\0').filter((f) => /\.ya?ml$/.test(f))) {
    const inside = rel ? path.posix.relative(rel, file) : file;
    const out = path.join(target, ...inside.split('/'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, git(top, ['show', `${ref}:${file}`]));
    count++;
  }
  return count;
}
