import { buildDefaultApps } from '../../app';
import { defaultChecks, Finding, ManifestObject, PlatformReferenceCheck, renderApp } from '../../lib';

/*
 * The default app's prod output, whose references to the platform's controllers all resolve, and
 * one fault at a time: each must be reported on the right object and field by platform-reference.
 */

const prod = (): ManifestObject[] => renderApp(buildDefaultApps().prod).flatMap((f) => f.objects.map((o) => ({ file: `prod/${f.fileName}`, manifest: o.manifest })));
const find = (objects: ManifestObject[], kind: string, name?: string): any => {
  const o = objects.find((x) => x.manifest.kind === kind && (name === undefined || x.manifest.metadata.name === name));
  if (!o) throw new Error(`no ${kind} ${name ?? ''}`);
  return o.manifest;
};
const without = (objects: ManifestObject[], kind: string, name?: string) => objects.filter((o) => !(o.manifest.kind === kind && (name === undefined || o.manifest.metadata.name === name)));
const check = new PlatformReferenceCheck({ externalObjects: ['ClusterIssuer/letsencrypt-prod'] });
const CLEAN = prod();

describe('the default app\'s prod references resolve', () => {
  test('the gateway Certificate writes the Secret the gateway reads, in istio-system', () => {
    const gateway = find(CLEAN, 'Gateway', 'ecommerce-gateway');
    const certificate = find(CLEAN, 'Certificate', 'ecommerce-prod-tls');
    expect(certificate.metadata.namespace).toBe('istio-system');
    expect(certificate.spec.secretName).toBe(gateway.spec.servers[0].tls.credentialName);
    expect(certificate.spec.dnsNames).toEqual(gateway.spec.servers[0].hosts);
    expect(certificate.spec.issuerRef).toEqual({ name: 'letsencrypt-prod', kind: 'ClusterIssuer', group: 'cert-manager.io' });
  });

  test('every ExternalSecret names the environment\'s Vault SecretStore, which logs in as a ServiceAccount of the output', () => {
    const externalSecrets = CLEAN.filter((o) => o.manifest.kind === 'ExternalSecret').map((o) => o.manifest);
    expect(externalSecrets.length).toBe(6); // user, product and order service, and the copies their migration hooks read
    for (const es of externalSecrets) expect(es.spec.secretStoreRef).toEqual({ name: 'vault-prod', kind: 'SecretStore' });
    const store = find(CLEAN, 'SecretStore', 'vault-prod');
    expect(store.metadata.namespace).toBe('ecommerce');
    expect(store.spec.provider.vault.auth.kubernetes).toEqual({ mountPath: 'kubernetes', role: 'ecommerce-prod', serviceAccountRef: { name: 'external-secrets-vault' } });
    expect(find(CLEAN, 'ServiceAccount', 'external-secrets-vault').metadata.namespace).toBe('ecommerce');
  });

  test('no finding on the clean output (with the project\'s declarations: the default checks)', () => {
    expect(check.check(CLEAN)).toEqual([]);
    expect(defaultChecks().flatMap((c) => c.check(CLEAN))).toEqual([]);
  });
});

test('the ingress gateway\'s ServiceAccount is external only when declared (externalObjects), never assumed', () => {
  const errors = (externalObjects: string[]) => defaultChecks({ externalNamespaces: ['monitoring', 'istio-system'], externalObjects })
    .flatMap((c) => c.check(CLEAN)).filter((f) => f.severity === 'error');
  const undeclared = errors(['ClusterIssuer/letsencrypt-prod']);
  expect(undeclared.length).toBeGreaterThan(0);
  expect(undeclared.every((f) => f.check === 'cross-reference' && f.object.startsWith('AuthorizationPolicy/ecommerce/')
    && f.message === 'principal cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account names a ServiceAccount that is not created (nor declared external)')).toBe(true);
  expect(errors(['ClusterIssuer/letsencrypt-prod', 'ServiceAccount/istio-system/istio-ingressgateway-service-account'])).toEqual([]);
});

type Fault = (objects: ManifestObject[]) => ManifestObject[];
const FAULTS: Array<[string, Fault, string, string, string]> = [
  ['gateway credentialName no Certificate writes', (o) => { find(o, 'Gateway').spec.servers[0].tls.credentialName = 'other-tls'; return o; },
    'Gateway/ecommerce/ecommerce-gateway', 'spec.servers[0].tls.credentialName', 'no Certificate writes Secret "other-tls"'],
  ['gateway Certificate removed', (o) => without(o, 'Certificate'),
    'Gateway/ecommerce/ecommerce-gateway', 'spec.servers[0].tls.credentialName', 'no Certificate writes Secret "ecommerce-prod-tls"'],
  ['gateway Certificate in the wrong namespace', (o) => { find(o, 'Certificate').metadata.namespace = 'cert-manager'; return o; },
    'Gateway/ecommerce/ecommerce-gateway', 'spec.servers[0].tls.credentialName', 'in "istio-system" or "ecommerce"'],
  ['Certificate issuer not declared', (o) => { find(o, 'Certificate').spec.issuerRef.name = 'letsencrypt'; return o; },
    'Certificate/istio-system/ecommerce-prod-tls', 'spec.issuerRef.name', 'ClusterIssuer "letsencrypt"'],
  ['Certificate naming a namespaced Issuer', (o) => { find(o, 'Certificate').spec.issuerRef.kind = 'Issuer'; return o; },
    'Certificate/istio-system/ecommerce-prod-tls', 'spec.issuerRef.name', 'Issuer "letsencrypt-prod" in "istio-system"'],
  ['SecretStore removed', (o) => without(o, 'SecretStore'),
    'ExternalSecret/ecommerce/user-service-secrets', 'spec.secretStoreRef.name', 'SecretStore "vault-prod" in "ecommerce"'],
  ['ExternalSecret naming a ClusterSecretStore', (o) => { find(o, 'ExternalSecret', 'order-service-secrets').spec.secretStoreRef.kind = 'ClusterSecretStore'; return o; },
    'ExternalSecret/ecommerce/order-service-secrets', 'spec.secretStoreRef.name', 'ClusterSecretStore "vault-prod"'],
  ['store ServiceAccount removed', (o) => without(o, 'ServiceAccount', 'external-secrets-vault'),
    'SecretStore/ecommerce/vault-prod', 'spec.provider.vault.auth.kubernetes.serviceAccountRef.name', 'ServiceAccount "external-secrets-vault" in "ecommerce"'],
  ['RoleBinding to a missing ClusterRole', (o) => without(o, 'ClusterRole'),
    'RoleBinding/ecommerce/ecommerce-readonly', 'roleRef.name', 'ClusterRole "ecommerce-readonly"'],
  ['RoleBinding subject missing', (o) => without(o, 'ServiceAccount', 'ci-readonly'),
    'RoleBinding/ecommerce/ecommerce-readonly', 'subjects[0].name', 'ServiceAccount "ci-readonly" in "ecommerce"'],
];

describe('faults in the prod output', () => {
  test.each(FAULTS)('%s', (_name, fault, object, path, message) => {
    const findings: Finding[] = check.check(fault(structuredClone(CLEAN)));
    expect(findings).toContainEqual(expect.objectContaining({ object, path, check: 'platform-reference', severity: 'error', message: expect.stringContaining(message) }));
  });
});
