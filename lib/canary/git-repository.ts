import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** A git operation failed; the message has git's own words. */
export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitError';
  }
}

/**
 * The few git operations the unattended canary needs, run with the `git` binary. Each runs in
 * its own process group (`detached`), so a Ctrl-C meant for the canary loop does not kill a
 * commit half-way: the loop decides when to stop.
 */
export class GitRepository {
  /** The repository whose work tree contains `file` (a file or directory that exists). */
  public static containing(file: string): GitRepository {
    const dir = fs.statSync(file).isDirectory() ? file : path.dirname(file);
    const top = run(dir, ['rev-parse', '--show-toplevel']);
    return new GitRepository(top.trim());
  }

  private constructor(public readonly root: string) {}

  /** Paths (relative to the root) under `paths` that differ from HEAD or are untracked. */
  public changedPaths(paths: readonly string[]): string[] {
    const out = run(this.root, ['status', '--porcelain', '--untracked-files=all', '--', ...this.relative(paths)]);
    return out.split('\n').filter((l) => l.length > 0).map((l) => l.slice(3));
  }

  /**
   * Commits exactly `paths` (new, changed and deleted files under them), whatever else is staged,
   * and returns the new commit's short hash; undefined when nothing under them changed.
   */
  public commit(paths: readonly string[], message: string): string | undefined {
    if (this.changedPaths(paths).length === 0) return undefined;
    const rel = this.relative(paths);
    run(this.root, ['add', '--all', '--', ...rel]);
    run(this.root, ['commit', '--quiet', '--no-verify', '-m', message, '--', ...rel]);
    return run(this.root, ['rev-parse', '--short', 'HEAD']).trim();
  }

  /** Throws unless commits can be made here (an identity is configured) and, for `push`, a branch is checked out. */
  public checkReady(push: boolean): void {
    run(this.root, ['var', 'GIT_COMMITTER_IDENT']);
    if (push) this.branch();
  }

  /** Pushes the current branch to `origin` under the same name. */
  public push(): void {
    const branch = this.branch();
    run(this.root, ['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]);
  }

  /** When the last commit touching `file` was made (ms since the epoch); undefined if never committed. */
  public lastCommitTime(file: string): number | undefined {
    const out = run(this.root, ['log', '-1', '--format=%ct', '--', ...this.relative([file])]).trim();
    return out ? Number(out) * 1000 : undefined;
  }

  private branch(): string {
    const branch = run(this.root, ['rev-parse', '--abbrev-ref', 'HEAD']).trim();
    if (branch === 'HEAD') throw new GitError(`${this.root} has no branch checked out (detached HEAD): check out the branch Argo CD follows before pushing`);
    return branch;
  }

  private relative(paths: readonly string[]): string[] {
    return paths.map((p) => {
      const rel = path.relative(this.root, path.resolve(p));
      if (rel.startsWith('..') || path.isAbsolute(rel)) throw new GitError(`${p} is outside the repository ${this.root}`);
      return rel === '' ? '.' : rel;
    });
  }
}

function run(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', detached: true, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } } as any);
  if (r.error) throw new GitError(`git ${args[0]}: ${r.error.message}`);
  if (r.status !== 0) throw new GitError(`git ${args.join(' ')} failed in ${cwd}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}
