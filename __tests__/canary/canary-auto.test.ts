import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { canaryCommand, canarySandbox, ROOT } from '../helpers';
import { prometheusBinary, PrometheusFixture } from './prometheus-harness';

/*
 * `npm run canary -- user-service auto --prometheus <url>`: the unattended canary of seed 004's
 * canary-deploy.sh (prod plan 5 → 20 → 50 → 100, starting from the committed 10 %), against a
 * real Prometheus scraping a fixture exporter. Each run works on scratch copies of the state and
 * dist/ inside a temporary git repository (with a bare "origin" for --push): the project's own
 * repository is never committed to.
 */
const SERVICE = 'user-service.ecommerce.svc.cluster.local';
const available = prometheusBinary() !== undefined;
if (!available && process.env.REQUIRE_PROMETHEUS) throw new Error('REQUIRE_PROMETHEUS is set but no prometheus binary was found (apt-get install prometheus)');
if (!available) console.warn('unattended canary tests SKIPPED: no prometheus binary (apt-get install prometheus)');
const suite = available ? describe : describe.skip;

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A canary sandbox that is a git repository with one commit and a bare origin. */
function repoSandbox() {
  const box = canarySandbox();
  const dir = path.dirname(box.env.CANARY_STATE_DIR!);
  const origin = `${dir}-origin.git`;
  git(path.dirname(dir), 'init', '--quiet', '--bare', origin);
  git(dir, 'init', '--quiet', '-b', 'main');
  git(dir, 'config', 'user.name', 'canary test');
  git(dir, 'config', 'user.email', 'canary@example.com');
  git(dir, 'remote', 'add', 'origin', origin);
  git(dir, 'add', '-A');
  git(dir, 'commit', '--quiet', '-m', 'initial state');
  const stateFile = path.join(box.env.CANARY_STATE_DIR!, 'prod.canary.json');
  const run = (...args: string[]) => spawnSync(process.execPath, canaryCommand('user-service', 'auto', ...args), { cwd: ROOT, encoding: 'utf8', env: box.env });
  /** Runs in the background; `until` resolves when stdout contains the text. */
  const start = (...args: string[]) => {
    const child = spawn(process.execPath, canaryCommand('user-service', 'auto', ...args), { cwd: ROOT, env: box.env });
    let stdout = '';
    let stderr = '';
    const waiters: { text: string; resolve: () => void }[] = [];
    child.stdout.on('data', (d) => {
      stdout += d;
      for (const w of waiters.filter((x) => stdout.includes(x.text))) w.resolve();
    });
    child.stderr.on('data', (d) => { stderr += d; });
    const closed = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
    return {
      child,
      closed,
      until: (text: string) => new Promise<void>((resolve) => (stdout.includes(text) ? resolve() : waiters.push({ text, resolve }))),
    };
  };
  return {
    ...box,
    dir,
    stateFile,
    run,
    start,
    /** Subjects of the commits after the initial one, oldest first. */
    commits: () => git(dir, 'log', '--format=%s', 'HEAD').split('\n').reverse().slice(1),
    pushed: () => (git(origin, 'branch', '--list', 'main') ? git(origin, 'log', '--format=%s', 'main').split('\n').reverse().slice(1) : []),
    /** The objects of dist/prod/50-user-service.yaml as of the n-th commit after the initial one. */
    objectsAt: (n: number) => {
      const commit = git(dir, 'rev-list', '--reverse', 'HEAD').split('\n')[n];
      return yaml.loadAll(git(dir, 'show', `${commit}:${path.relative(dir, box.userServiceFile)}`)) as any[];
    },
    clean: () => git(dir, 'status', '--porcelain') === '',
    objects: () => yaml.loadAll(fs.readFileSync(box.userServiceFile, 'utf8')) as any[],
  };
}

const find = (objects: any[], kind: string, name = 'user-service') => objects.find((o) => o.kind === kind && o.metadata.name === name);

suite('unattended canary (auto) against a real Prometheus', () => {
  const healthy = new PrometheusFixture();
  const regressing = new PrometheusFixture();
  // The box whose state file the regressing exporter follows: errors from the 20 % stage on.
  const regressingBox = repoSandbox();

  beforeAll(async () => {
    await Promise.all([
      healthy.start(SERVICE, 20, 0.001, 80), // 0.1 % errors, P99 ≈ 100 ms at every stage
      regressing.start(SERVICE, 20, 0.001, 80, { stateFile: regressingBox.stateFile, service: 'user-service', weight: 20, ratio: 0.5 }),
    ]);
  }, 60_000);
  afterAll(() => [healthy, regressing].forEach((p) => p.stop()));

  test('healthy: every stage committed and pushed (10 → 20 → 50 → 100), then promoted; exit 0', () => {
    const s = repoSandbox();
    const r = s.run('--prometheus', healthy.url, '--interval', '2s', '--window', '10s', '--push');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(s.commits()).toEqual([
      'canary: user-service in prod to 20% (stage 2/4)',
      'canary: user-service in prod to 50% (stage 3/4)',
      'canary: user-service in prod to 100% (stage 4/4)',
      'canary: promote user-service v1.3.0 in prod after 5 → 20 → 50 → 100',
    ]);
    expect(s.pushed()).toEqual(s.commits()); // Argo CD sees every stage
    expect(s.clean()).toBe(true); // state and dist/ committed together
    expect(s.state()).toEqual({ stable: { imageTag: 'v1.3.0' } });
    const objects = s.objects();
    expect(find(objects, 'Deployment').spec.template.spec.containers[0].image).toBe('harbor.example.com/ecommerce/user-service:v1.3.0');
    expect(find(objects, 'Deployment', 'user-service-canary')).toBeUndefined();
    // One measurement per stage, printed as a line each (stdout is not a terminal).
    const measured = r.stdout.split('\n').filter((l) => /^user-service at \d+%: .*: healthy$/.test(l)).map((l) => l.split(':')[0]);
    expect(measured).toEqual(['user-service at 10%', 'user-service at 20%', 'user-service at 50%', 'user-service at 100%']);
    expect(r.stdout).toMatch(/user-service stage 2\/4: canary at 20%, measuring in 2s; last: [\d.]+ req\/s, error rate 0\.\d\d% \(max 1\.00%\)/);
    expect(r.stdout).toMatch(/canary: user-service in prod to 20% \(stage 2\/4\) \(commit [0-9a-f]{7,}, pushed\)/);
    expect(r.stdout).toContain('canary: promoted: promoted v1.3.0: every stage was within bounds');
    expect(r.stdout).toContain('canary: note: the window (10s) is longer than the interval (2s): each measurement also counts traffic from before its stage');
  }, 180_000);

  test('errors from stage 2 on: rolled back at 20 %, committed; exit 1', () => {
    const s = regressingBox;
    const r = s.run('--prometheus', regressing.url, '--interval', '2s', '--window', '5s');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/user-service at 10%: .*: healthy\n/);
    expect(r.stdout).toMatch(/user-service at 20%: .*: unhealthy \(error rate \d+\.\d\d% above 1\.00%\)/);
    expect(s.commits()).toEqual([
      'canary: user-service in prod to 20% (stage 2/4)',
      expect.stringMatching(/^canary: roll back user-service in prod to 100% stable: error rate \d+\.\d\d% above 1\.00% at 20%$/),
    ]);
    expect(r.stderr).toMatch(/canary: rolled-back: rolled back at 20%: error rate/);
    expect(s.state().canary).toEqual({ imageTag: 'v1.3.0', weight: 0, rolledBack: true });
    expect(s.clean()).toBe(true);
    const route = find(s.objects(), 'VirtualService').spec.http.find((h: any) => h.name === 'default').route;
    expect(route).toEqual([{ destination: { host: 'user-service', subset: 'v1' } }]);
    expect(s.pushed()).toEqual([]); // without --push nothing leaves the repository
  }, 180_000);

  test('Prometheus down: paused before any change, nothing committed; exit 4', () => {
    const s = repoSandbox();
    const before = s.snapshot();
    const r = s.run('--prometheus', healthy.url.replace(/:\d+$/, ':9'), '--interval', '2s', '--window', '10s');
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('canary: paused: nothing changed: Prometheus at http://127.0.0.1:9 is unreachable');
    expect(s.snapshot()).toBe(before);
    expect(s.commits()).toEqual([]);
  }, 60_000);

  test('Ctrl-C while a stage is observed: stops at once, the committed stage stays; a new run resumes from it', async () => {
    const s = repoSandbox();
    const first = s.start('--prometheus', healthy.url, '--interval', '4s', '--window', '10s');
    await first.until('canary: user-service in prod to 20% (stage 2/4)');
    first.child.kill('SIGINT');
    const stopped = await first.closed;
    expect(stopped.status).toBe(130);
    expect(stopped.stderr).toContain('canary: interrupted: interrupted while observing the 20% stage; the canary stays at 20% (committed)');
    expect(s.state().canary.weight).toBe(20);
    expect(s.clean()).toBe(true);
    expect(s.commits()).toEqual(['canary: user-service in prod to 20% (stage 2/4)']);

    const resumed = s.run('--prometheus', healthy.url, '--interval', '2s', '--window', '10s');
    expect(resumed.status).toBe(0);
    expect(resumed.stdout.split('\n').filter((l) => /^user-service at \d+%/.test(l)).map((l) => l.split(':')[0]))
      .toEqual(['user-service at 20%', 'user-service at 50%', 'user-service at 100%']);
    expect(s.commits()).toEqual([
      'canary: user-service in prod to 20% (stage 2/4)',
      'canary: user-service in prod to 50% (stage 3/4)',
      'canary: user-service in prod to 100% (stage 4/4)',
      'canary: promote user-service v1.3.0 in prod after 5 → 20 → 50 → 100',
    ]);
  }, 180_000);

  test('Ctrl-C while a step is being written: the step completes (state, dist/, commit), then the run stops', async () => {
    const s = repoSandbox();
    const run = s.start('--prometheus', healthy.url, '--interval', '2s', '--window', '10s');
    await run.until('user-service at 10%: '); // measured: the step to 20 % is being written now
    run.child.kill('SIGINT');
    const stopped = await run.closed;
    expect(stopped.status).toBe(130);
    // The signal is handled once the (synchronous) step is written and committed: the run stops before observing the new stage.
    expect(stopped.stderr).toMatch(/canary: interrupted: interrupted (while observing the 20% stage; the canary stays|; the canary is) at 20% \(committed\)\. Run again to resume/);
    expect(s.commits()).toEqual(['canary: user-service in prod to 20% (stage 2/4)']);
    expect(s.state().canary.weight).toBe(20);
    expect(s.clean()).toBe(true);
    const route = find(s.objects(), 'VirtualService').spec.http.find((h: any) => h.name === 'default').route;
    expect(route.map((x: any) => x.weight)).toEqual([80, 20]);
  }, 120_000);

  test('a push that fails: the step stays committed locally, the run stops and says so', () => {
    const s = repoSandbox();
    git(s.dir, 'remote', 'set-url', 'origin', path.join(s.dir, 'no-such-origin.git'));
    const r = s.run('--prometheus', healthy.url, '--interval', '2s', '--window', '10s', '--push');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/canary: committed [0-9a-f]+ \(state and dist\/ are consistent\) but could not push it, so Argo CD does not see it yet: git push [\s\S]*Push by hand, then run again to resume/);
    expect(s.commits()).toEqual(['canary: user-service in prod to 20% (stage 2/4)']);
    expect(s.clean()).toBe(true);
  }, 120_000);

  test('a state change written but not committed (killed mid-step) is completed first', () => {
    const s = repoSandbox();
    const state = JSON.parse(fs.readFileSync(s.stateFile, 'utf8'));
    state['user-service'].canary.weight = 50;
    fs.writeFileSync(s.stateFile, JSON.stringify(state, null, 2) + '\n'); // dist/ not re-synthesized
    const r = s.run('--prometheus', healthy.url, '--interval', '2s', '--window', '10s', '--max-duration', '3s');
    expect(r.stdout).toMatch(/canary: completed the interrupted step: commit [0-9a-f]+/);
    expect(s.commits()[0]).toBe('canary: user-service in prod: user-service: stable v1.2.3 50%, canary v1.3.0 50% (plan 5 → 20 → 50 → 100; next: 100%)');
    const route = find(s.objectsAt(1), 'VirtualService').spec.http.find((h: any) => h.name === 'default').route;
    expect(route.map((x: any) => x.weight)).toEqual([50, 50]); // committed with the output of that state
    // Measured at 50 %, advanced to 100 %, then the next measurement would come after --max-duration.
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('canary: timed-out: --max-duration 3s reached before the 100% stage could be measured; the canary stays at 100% (committed)');
    expect(s.state().canary.weight).toBe(100);
    expect(s.clean()).toBe(true);
  }, 120_000);
});

describe('auto refuses bad input before anything changes', () => {
  test.each<[string, string[], RegExp]>([
    ['no Prometheus', ['--interval', '2s'], /auto needs --prometheus <url>/],
    ['a malformed interval', ['--prometheus', 'http://127.0.0.1:9', '--interval', 'soon'], /--interval must be a duration such as "30s", "5m" or "2h" of at least 1s, got "soon"/],
    ['an interval under a second', ['--prometheus', 'http://127.0.0.1:9', '--interval', '500ms'], /--interval must be a duration .* got "500ms"/],
    ['a malformed max duration', ['--prometheus', 'http://127.0.0.1:9', '--max-duration', '2 hours'], /--max-duration must be a duration/],
    ['a further argument', ['50', '--prometheus', 'http://127.0.0.1:9'], /auto takes no further argument/],
  ])('%s', (_name, args, message) => {
    const s = repoSandbox();
    const before = s.snapshot();
    const r = s.run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(s.snapshot()).toBe(before);
  });

  test('auto flags with another action', () => {
    const s = repoSandbox();
    const r = spawnSync(process.execPath, canaryCommand('user-service', 'next', '--interval', '2s'), { cwd: ROOT, encoding: 'utf8', env: s.env });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--interval goes with auto');
  });

  test('state outside a git repository', () => {
    const box = canarySandbox(); // not a repository
    const r = spawnSync(process.execPath, canaryCommand('user-service', 'auto', '--prometheus', 'http://127.0.0.1:9'), { cwd: ROOT, encoding: 'utf8', env: box.env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/canary: git rev-parse --show-toplevel failed .*not a git repository/);
  });

  test('--push on a detached HEAD', () => {
    const s = repoSandbox();
    git(s.dir, 'checkout', '--quiet', '--detach');
    const before = s.snapshot();
    const r = s.run('--prometheus', 'http://127.0.0.1:9', '--push');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/has no branch checked out \(detached HEAD\): check out the branch Argo CD follows before pushing/);
    expect(s.snapshot()).toBe(before);
  });

  test('uncommitted changes in dist/ that are not a canary step', () => {
    const s = repoSandbox();
    fs.appendFileSync(s.userServiceFile, '# edited by hand\n');
    const r = s.run('--prometheus', 'http://127.0.0.1:9');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/uncommitted changes in .*dist \(dist\/prod\/50-user-service\.yaml\): commit or discard them/);
  });
});
