import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildDefaultApps } from '../../app';
import { dev, EnvironmentConfig, prod } from '../../config';
import { defaultChecks, renderApp, synthesize } from '../../lib';
import { only } from '../helpers';

/*
 * prod on two clusters: prod-eu with its own replica bounds and zone labels (its own output,
 * dist/prod/prod-eu/), prod-us as configured (dist/prod/). One ApplicationSet deploys both.
 */
const fleetProd: EnvironmentConfig = {
  ...prod,
  clusters: [
    { name: 'prod-eu', server: 'https://prod-eu.k8s.example.com', region: 'eu-west-1', overrides: { minReplicas: 2, maxReplicas: 8, nodeSelector: { 'topology.kubernetes.io/region': 'eu-west-1' } } },
    { name: 'prod-us', server: 'https://prod-us.k8s.example.com', region: 'us-east-1' },
  ],
};

describe('a two-cluster prod fleet', () => {
  const previous = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-previous-'));
  const apps = buildDefaultApps(previous, [dev, fleetProd]);
  const objects = (dir: string) => renderApp(apps[dir]).flatMap((f) => f.objects.map((o) => o.manifest));

  test('a directory per differing cluster: dev, prod (prod-us), prod/prod-eu, argocd', () => {
    expect(Object.keys(apps).sort()).toEqual(['argocd', 'dev', 'prod', 'prod/prod-eu']);
  });

  test('the overrides land only in the cluster\'s output', () => {
    const eu = objects('prod/prod-eu');
    const us = objects('prod');
    // Replica bounds: the CPU/memory HPA, the Prometheus HPA and the KEDA ScaledObject.
    expect([only(eu, 'HorizontalPodAutoscaler', 'payment-service').spec.minReplicas, only(eu, 'HorizontalPodAutoscaler', 'payment-service').spec.maxReplicas]).toEqual([2, 8]);
    expect([only(us, 'HorizontalPodAutoscaler', 'payment-service').spec.minReplicas, only(us, 'HorizontalPodAutoscaler', 'payment-service').spec.maxReplicas]).toEqual([3, 20]);
    expect(only(eu, 'HorizontalPodAutoscaler', 'user-service').spec.maxReplicas).toBe(8);
    expect(only(us, 'HorizontalPodAutoscaler', 'user-service').spec.maxReplicas).toBe(20);
    expect(only(eu, 'ScaledObject', 'order-service').spec.maxReplicaCount).toBe(8);
    expect(only(us, 'ScaledObject', 'order-service').spec.maxReplicaCount).toBe(30);
    // Zone labels.
    expect(only(eu, 'Deployment', 'product-service').spec.template.spec.nodeSelector).toEqual({ 'node-role': 'production', 'topology.kubernetes.io/region': 'eu-west-1' });
    expect(only(us, 'Deployment', 'product-service').spec.template.spec.nodeSelector).toEqual({ 'node-role': 'production' });
    // dev is untouched.
    expect(only(objects('dev'), 'Deployment', 'product-service').spec.template.spec.nodeSelector).toBeUndefined();
  });

  test('one ApplicationSet deploys each cluster\'s directory to its API server, in a project admitting both clusters', () => {
    const argocd = objects('argocd');
    const set = only(argocd, 'ApplicationSet', 'ecommerce-prod');
    expect(set.spec.generators[0].list.elements).toEqual([
      { cluster: 'prod-eu', server: 'https://prod-eu.k8s.example.com', path: 'dist/prod/prod-eu', region: 'eu-west-1' },
      { cluster: 'prod-us', server: 'https://prod-us.k8s.example.com', path: 'dist/prod', region: 'us-east-1' },
    ]);
    expect(argocd.filter((o) => o.kind === 'Application').map((a) => a.metadata.name)).toEqual(['ecommerce-dev']);
    const servers = new Set(only(argocd, 'AppProject', 'ecommerce').spec.destinations.map((d: any) => d.server));
    expect(servers).toEqual(new Set(['https://kubernetes.default.svc', 'https://prod-eu.k8s.example.com', 'https://prod-us.k8s.example.com']));
  });

  test('or one Application per cluster, each to its server and directory', () => {
    const argocd = renderApp(buildDefaultApps(previous, [{ ...fleetProd, fleetApplications: 'Application' }]).argocd).flatMap((f) => f.objects.map((o) => o.manifest));
    expect(argocd.filter((o) => o.kind === 'ApplicationSet')).toEqual([]);
    expect(argocd.filter((o) => o.kind === 'Application').map((a) => [a.metadata.name, a.spec.destination.server, a.spec.source.path])).toEqual([
      ['ecommerce-prod-prod-eu', 'https://prod-eu.k8s.example.com', 'dist/prod/prod-eu'],
      ['ecommerce-prod-prod-us', 'https://prod-us.k8s.example.com', 'dist/prod'],
    ]);
  });

  test('synthesizes into dist/prod/prod-eu/ next to dist/prod/, every check clean', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-')), 'dist');
    const result = synthesize({ apps, outdir, checks: defaultChecks() });
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(fs.readdirSync(path.join(outdir, 'prod', 'prod-eu'))).toContain('50-user-service.yaml');
    expect(fs.readdirSync(path.join(outdir, 'prod'))).toEqual(expect.arrayContaining(['50-user-service.yaml', 'prod-eu']));
  });
});
