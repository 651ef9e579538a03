import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as yaml from 'js-yaml';
import { canaryCommand, canarySandbox, ROOT } from '../helpers';

/** The canary command against scratch copies of the state and dist/; the repository is never touched. */
function sandbox() {
  const box = canarySandbox();
  return {
    ...box,
    run: (...args: string[]) => spawnSync(process.execPath, canaryCommand(...args), { cwd: ROOT, encoding: 'utf8', env: box.env }),
    objects: () => yaml.loadAll(fs.readFileSync(box.userServiceFile, 'utf8')) as any[],
  };
}
const find = (objects: any[], kind: string, name = 'user-service') => objects.find((o) => o.kind === kind && o.metadata.name === name);
const weights = (objects: any[]) => find(objects, 'VirtualService').spec.http.find((r: any) => r.name === 'default').route.map((r: any) => `${r.destination.subset}=${r.weight ?? 100}`);

describe('npm run canary', () => {
  test('status prints the split', () => {
    const s = sandbox();
    const r = s.run('user-service', 'status', '--env', 'prod');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('prod: user-service: stable v1.2.3 90%, canary v1.3.0 10%');
  });

  test('user-service 75 25: state and dist/prod change together, and the change is printed', () => {
    const s = sandbox();
    const r = s.run('user-service', '75', '25');
    expect(r.status).toBe(0);
    expect(s.state().canary.weight).toBe(25);
    expect(weights(s.objects())).toEqual(['v1=75', 'v2=25']);
    expect(r.stdout).toContain('! TRAFFIC VirtualService/ecommerce/user-service spec.http[name=default]: traffic weights of route default: v1 90 → 75, v2 10 → 25');
    expect(r.stdout).toContain('spec.http[name=default].route[1].weight: 10 → 25');
    const kinds = s.objects().map((o) => o.kind);
    expect(kinds.indexOf('DestinationRule')).toBeLessThan(kinds.indexOf('VirtualService')); // make-before-break
  });

  test('next follows the environment\'s plan (prod user-service: 5 → 20 → 50 → 100), then promote: stable runs the canary image, canary track and subset gone', () => {
    const s = sandbox();
    expect(s.run('user-service', 'next').status).toBe(0);
    expect(weights(s.objects())).toEqual(['v1=80', 'v2=20']);
    const r = s.run('user-service', 'promote');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('  - Deployment/ecommerce/user-service-canary (50-user-service.yaml)'); // what a plain kubectl apply leaves behind
    expect(r.stdout).toContain('--prune --applyset');
    const objects = s.objects();
    expect(find(objects, 'Deployment').spec.template.spec.containers[0].image).toBe('harbor.example.com/ecommerce/user-service:v1.3.0');
    expect(find(objects, 'Deployment', 'user-service-canary')).toBeUndefined();
    expect(find(objects, 'DestinationRule').spec.subsets.map((x: any) => x.name)).toEqual(['v1']);
    expect(weights(objects)).toEqual(['v1=100']);
    expect(find(objects, 'VirtualService').spec.http.map((h: any) => h.name)).toEqual(['default']);
  });

  test('rollback: 100 % stable, the tester route removed, the canary Deployment kept for inspection', () => {
    const s = sandbox();
    const r = s.run('user-service', 'rollback');
    expect(r.status).toBe(0);
    const objects = s.objects();
    expect(weights(objects)).toEqual(['v1=100']);
    expect(find(objects, 'VirtualService').spec.http.map((h: any) => h.name)).toEqual(['default']);
    expect(find(objects, 'Deployment', 'user-service-canary')).toBeDefined();
    expect(s.run('user-service', 'next').status).toBe(1);
  });

  test.each([
    [['user-service', '90', '20'], 1, 'weights must sum to 100, got 90 + 20 = 110'],
    [['user-service', 'ninety', 'ten'], 2, 'stable weight must be a whole number from 0 to 100, got "ninety"'],
    [['user-service', 'forward'], 2, 'unknown action "forward"'],
    [['user-service', '90', 'ten'], 2, 'canary weight must be a whole number from 0 to 100, got "ten"'],
    [['user-svc', 'next'], 2, 'unknown service "user-svc" in prod; known: user-service, product-service, order-service, payment-service'],
    [['user-service', 'next', '--env', 'staging'], 2, 'unknown environment "staging"; known: dev, prod'],
    [['product-service', 'next'], 1, 'product-service is not under canary management in prod'],
    [['user-service'], 2, 'expected a service and an action or two weights'],
  ])('%j exits %i with a clear message and changes no file', (args, code, message) => {
    const s = sandbox();
    const before = s.snapshot();
    const r = s.run(...(args as string[]));
    expect(r.status).toBe(code);
    expect(r.stderr).toContain(message);
    expect(s.snapshot()).toBe(before);
  });

  test('a service with no canary track is refused', () => {
    const s = sandbox();
    expect(s.run('user-service', 'promote').status).toBe(0);
    const before = s.snapshot();
    const r = s.run('user-service', '90', '10');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('user-service has no canary track');
    expect(s.snapshot()).toBe(before);
  });
});
