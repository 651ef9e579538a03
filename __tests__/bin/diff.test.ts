import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { compareSides } from '../../bin/diff';
import { ROOT } from '../helpers';

/** A scratch git repository with a dist/ committed twice: HEAD~1 and HEAD. */
function repository() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-repo-'));
  const dist = path.join(dir, 'dist');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
  const write = (file: string, docs: any[]) => {
    fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
    fs.writeFileSync(path.join(dist, file), docs.map((d) => yaml.dump(d)).join('---\n'));
  };
  git('init', '-q', '-b', 'main');
  return { dir, dist, git, write, commit: (msg: string) => { git('add', '-A'); git('commit', '-qm', msg); } };
}

const deployment = (image: string, selector: Record<string, string>) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'user-service', namespace: 'shop' },
  spec: { selector: { matchLabels: selector }, template: { metadata: { labels: selector }, spec: { containers: [{ name: 'app', image }] } } },
});
const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'user-service-config-abc', namespace: 'shop' }, immutable: true, data: { A: '1' } };
const policy = (principals: string[]) => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'user-service', namespace: 'shop' },
  spec: { action: 'ALLOW', selector: { matchLabels: { app: 'user-service' } }, rules: [{ from: [{ source: { principals } }] }] } });
const netpol = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'user-service', namespace: 'shop' }, spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] } };

function history() {
  const r = repository();
  r.write('prod/50-user-service.yaml', [config, deployment('r/user:v1', { app: 'user-service' }), policy(['cluster.local/ns/shop/sa/order-service'])]);
  r.write('dev/50-user-service.yaml', [deployment('r/user:v1', { app: 'user-service' })]);
  r.commit('first');
  r.write('prod/50-user-service.yaml', [deployment('r/user:v2', { app: 'user-service', tier: 'web' }), netpol,
    policy(['cluster.local/ns/shop/sa/order-service', 'cluster.local/ns/shop/sa/cart'])]);
  r.commit('second');
  return r;
}

function run(cwd: string, dist: string, ...args: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts/run.js'), path.join(ROOT, 'bin/diff.ts'), ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, DIST_DIR: dist, NO_COLOR: '1' },
  });
}

describe('npm run diff on real git history', () => {
  const r = history();

  test('between two commits: added, removed, changed, risks first; exit 1', () => {
    const res = run(r.dir, r.dist, 'HEAD~1', 'HEAD');
    expect(res.stderr).toBe('');
    expect(res.status).toBe(1);
    const lines = res.stdout.split('\n');
    expect(lines[0]).toBe('dist/ HEAD~1 → HEAD');
    expect(lines).toContain('dev: unchanged');
    expect(lines).toContain('prod: 1 added, 1 removed, 2 changed, 3 risk(s)');
    const prod = lines.slice(lines.indexOf('prod: 1 added, 1 removed, 2 changed, 3 risk(s)'));
    expect(prod[1]).toMatch(/^  ! REFUSED Deployment\/shop\/user-service spec.selector: Deployment selector \{"matchLabels":\{"app":"user-service"\}\} → \{"matchLabels":\{"app":"user-service","tier":"web"\}\}: the API server refuses this update/);
    expect(prod[2]).toMatch(/→ delete and re-create .*Replace=true/);
    expect(res.stdout).toContain('! WIDENS ACCESS NetworkPolicy/shop/user-service spec.ingress: new ingress allowed: from {"namespaceSelector":{}} port any port');
    expect(res.stdout).toContain('! WIDENS ACCESS AuthorizationPolicy/shop/user-service spec.rules: new allowed caller(s): principals=cluster.local/ns/shop/sa/cart');
    expect(res.stdout).toContain('! RESTART every pod of Deployment/shop/user-service');
    expect(res.stdout).toContain('  + NetworkPolicy/shop/user-service (prod/50-user-service.yaml)');
    expect(res.stdout).toContain('  - ConfigMap/shop/user-service-config-abc (prod/50-user-service.yaml)');
    expect(res.stdout).toContain('  ~ Deployment/shop/user-service (prod/50-user-service.yaml) [restarts every pod]');
    expect(res.stdout).toContain('      spec.template.spec.containers[name=app].image: "r/user:v1" → "r/user:v2"');
    expect(res.stdout).toContain('      spec.selector.matchLabels.tier: (none) → "web"');
    expect(lines.filter(Boolean).pop()).toBe('summary: 1 added, 1 removed, 2 changed in prod; 3 risk(s), 1 the server will refuse');
    expect(res.stdout).not.toContain('\x1b['); // not a terminal
  });

  test('--json: the shape for tools', () => {
    const res = run(r.dir, r.dist, 'HEAD~1', 'HEAD', '--json');
    expect(res.status).toBe(1);
    const json = JSON.parse(res.stdout);
    expect(json).toMatchObject({ from: 'HEAD~1', to: 'HEAD', equal: false, summary: { added: 1, removed: 1, changed: 2, risks: 3 } });
    expect(json.environments.map((e: any) => e.environment)).toEqual(['dev', 'prod']);
    const prod = json.environments[1];
    expect(prod.added).toEqual([{ id: 'NetworkPolicy/shop/user-service', apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace: 'shop', name: 'user-service', file: 'prod/50-user-service.yaml' }]);
    expect(prod.removed.map((o: any) => o.id)).toEqual(['ConfigMap/shop/user-service-config-abc']);
    const dep = prod.changed.find((c: any) => c.kind === 'Deployment');
    expect(dep.rollout).toBe('restarts-pods');
    expect(dep.fields).toContainEqual({ path: 'spec.template.spec.containers[name=app].image', before: 'r/user:v1', after: 'r/user:v2' });
    expect(prod.risks.map((x: any) => x.category)).toEqual(['immutable', 'security', 'security', 'restart']);
    expect(prod.risks[0]).toMatchObject({ object: 'Deployment/shop/user-service', path: 'spec.selector' });
  });

  test('equal sides exit 0; a ref against a directory; an unknown side exits 2', () => {
    const same = run(r.dir, r.dist, 'HEAD', 'HEAD');
    expect(same.status).toBe(0);
    expect(same.stdout).toContain('summary: no differences');
    expect(run(r.dir, r.dist, 'HEAD', r.dist).status).toBe(0); // the committed dist/ equals the working tree
    expect(run(r.dir, r.dist, 'HEAD~1', r.dist).status).toBe(1);
    const bad = run(r.dir, r.dist, 'no-such-ref', 'HEAD');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('"no-such-ref" is neither a directory nor a git ref');
    expect(run(r.dir, r.dist, 'a', 'b', 'c').status).toBe(2);
    expect(run(r.dir, r.dist, '--bogus').status).toBe(2);
  });

  test('broken YAML on one side exits 2', () => {
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-broken-'));
    fs.mkdirSync(path.join(broken, 'prod'));
    fs.writeFileSync(path.join(broken, 'prod', 'x.yaml'), 'a: [unclosed\n');
    const res = run(r.dir, r.dist, 'HEAD', broken);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('not valid YAML');
  });

  test('omitted sides: from HEAD, to the working tree after synthesizing it; the repository is not checked out', () => {
    let synthesized = 0;
    const before = r.git('status', '--porcelain');
    const { diff, from, to } = compareSides(undefined, undefined, r.dist, (dir) => {
      synthesized++;
      fs.writeFileSync(path.join(dir, 'prod', '60-extra.yaml'), yaml.dump({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'extra', namespace: 'shop' } }));
    });
    expect(synthesized).toBe(1);
    expect([from, to]).toEqual(['HEAD', 'working tree']);
    expect(diff.environments.find((e) => e.environment === 'prod')!.added.map((o) => o.id)).toEqual(['ServiceAccount/shop/extra']);
    fs.rmSync(path.join(r.dist, 'prod', '60-extra.yaml'));
    expect(r.git('status', '--porcelain')).toBe(before);
  });

  test('a ref without dist/: everything is added', () => {
    const empty = repository();
    fs.writeFileSync(path.join(empty.dir, 'README'), 'x');
    empty.commit('no dist');
    empty.write('prod/a.yaml', [config]);
    empty.commit('dist');
    const res = run(empty.dir, empty.dist, 'HEAD~1', 'HEAD', '--json');
    expect(JSON.parse(res.stdout).summary).toEqual({ added: 1, removed: 0, changed: 0, risks: 0 });
  });
});
