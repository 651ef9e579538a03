import { App, Chart } from 'cdk8s';
import { defaultChecks, IstioGateway, MicroserviceChart, PlatformNamespace, TlsCertificate } from '../../lib';
import { IMAGE, only, render } from '../helpers';

const errorsOf = (objects: any[], externalObjects: string[] = []) => defaultChecks({ externalNamespaces: ['istio-system'], externalObjects })
  .flatMap((c) => c.check(objects.map((manifest) => ({ file: 'prod/x.yaml', manifest }))))
  .filter((f) => f.severity === 'error');

describe('TlsCertificate', () => {
  test('renders a cert-manager Certificate: secret, hosts, issuer, rotated ECDSA key', () => {
    const chart = new Chart(new App(), 'edge', { namespace: 'shop' });
    new TlsCertificate(chart, 'Cert', { secretName: 'shop-tls', dnsNames: ['api.example.com', '*.shop.example.com'], issuer: { name: 'letsencrypt-prod' }, duration: '2160h', renewBefore: '360h' });
    const cert = only(render(chart as any), 'Certificate', 'shop-tls');
    expect(cert.apiVersion).toBe('cert-manager.io/v1');
    expect(cert.metadata.namespace).toBe('shop');
    expect(cert.spec).toEqual({
      secretName: 'shop-tls',
      secretTemplate: { labels: { 'app.kubernetes.io/managed-by': 'cdk8s' } },
      commonName: 'api.example.com',
      dnsNames: ['api.example.com', '*.shop.example.com'],
      duration: '2160h',
      renewBefore: '360h',
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    });
  });

  test.each([
    ['no hosts', { dnsNames: [] }, 'dnsNames', 'a non-empty list'],
    ['a bad host', { dnsNames: ['API.example.com'] }, 'dnsNames[0]', 'fully qualified'],
    ['a host twice', { dnsNames: ['a.example.com', 'a.example.com'] }, 'dnsNames', 'each value at most once'],
    ['an unknown issuer kind', { issuer: { name: 'x', kind: 'Vault' } }, 'issuer.kind', 'one of "ClusterIssuer", "Issuer"'],
    ['renewal not before expiry', { duration: '24h', renewBefore: '48h' }, 'renewBefore', 'shorter than duration (24h)'],
    ['a lifetime under an hour', { duration: '30m' }, 'duration', 'at least 3600000 ms'],
    ['an RSA size for ECDSA', { privateKey: { algorithm: 'ECDSA', size: 2048 } }, 'privateKey.size', 'for ECDSA: 256, 384, 521'],
    ['a null issuer', { issuer: null }, 'issuer', 'IssuerReference'],
  ])('refuses %s', (_, override, field, allowed) => {
    const chart = new Chart(new App(), 'edge');
    expect(() => new TlsCertificate(chart, 'Cert', { secretName: 'tls', dnsNames: ['api.example.com'], issuer: { name: 'le' }, ...(override as any) }))
      .toThrow(new RegExp(`\\[edge/Cert\\] invalid ${field.replace(/[[\]]/g, '\\$&')}: .*allowed: .*${allowed.replace(/[()]/g, '\\$&')}`));
  });
});

describe('the gateway certificate', () => {
  const gatewayApp = (certificate?: object) => {
    const app = new App();
    new PlatformNamespace(app, 'ns', { name: 'shop' });
    const edge = new Chart(app, 'edge', { namespace: 'shop' });
    new IstioGateway(edge, 'Gateway', { name: 'shop', hosts: ['api.example.com', 'www.example.com'], credentialName: 'shop-tls', certificate: certificate as any });
    return render(app);
  };

  test('a Certificate in istio-system writes the Secret the gateway names, for every host', () => {
    const objects = gatewayApp({ issuer: { name: 'letsencrypt-prod' } });
    const cert = only(objects, 'Certificate');
    const gateway = only(objects, 'Gateway');
    expect(cert.metadata.namespace).toBe('istio-system');
    expect(cert.spec.secretName).toBe(gateway.spec.servers[0].tls.credentialName);
    expect(cert.spec.dnsNames).toEqual(gateway.spec.servers[0].hosts);
    expect(errorsOf(objects, ['ClusterIssuer/letsencrypt-prod'])).toEqual([]);
  });

  test('the gateway namespace is configurable', () => {
    expect(only(gatewayApp({ issuer: { name: 'shop-issuer', kind: 'Issuer' }, gatewayNamespace: 'shop' }), 'Certificate').metadata.namespace).toBe('shop');
  });

  test('a gateway whose credentialName nothing writes is an error naming the Secret and the way out', () => {
    const errors = errorsOf(gatewayApp());
    expect(errors).toEqual([expect.objectContaining({
      object: 'Gateway/shop/shop', path: 'spec.servers[0].tls.credentialName', check: 'platform-reference',
      message: expect.stringContaining('no Certificate writes Secret "shop-tls" in "istio-system" or "shop"'),
    })]);
    expect(errors[0].message).toContain('externalObjects: Secret/istio-system/shop-tls');
    // Declared external: accepted.
    expect(errorsOf(gatewayApp(), ['Secret/istio-system/shop-tls'])).toEqual([]);
  });

  test('an issuer neither rendered nor declared is an error; an Issuer of another namespace does not count', () => {
    const errors = errorsOf(gatewayApp({ issuer: { name: 'letsencrypt-prod' } }));
    expect(errors).toEqual([expect.objectContaining({ object: 'Certificate/istio-system/shop-tls', path: 'spec.issuerRef.name', message: expect.stringContaining('ClusterIssuer "letsencrypt-prod" is neither in this output nor declared external') })]);
    const namespaced = errorsOf(gatewayApp({ issuer: { name: 'shop-issuer', kind: 'Issuer' } }), ['Issuer/shop/shop-issuer']);
    expect(namespaced.map((f) => f.message)).toEqual([expect.stringContaining('Issuer "shop-issuer" in "istio-system"')]);
  });
});

describe('the Ingress certificate', () => {
  test('a clusterIssuer renders a Certificate for the Ingress TLS secret instead of the ingress-shim annotation', () => {
    const app = new App();
    new MicroserviceChart(app, 'user-service', { namespace: 'shop', image: IMAGE, ingress: { host: 'user-api.example.com', clusterIssuer: 'letsencrypt-prod' } });
    const objects = render(app);
    const ingress = only(objects, 'Ingress');
    const cert = only(objects, 'Certificate');
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBeUndefined();
    expect(cert.metadata.namespace).toBe('shop');
    expect(cert.spec.secretName).toBe(ingress.spec.tls[0].secretName);
    expect(cert.spec.dnsNames).toEqual(ingress.spec.tls[0].hosts);
    expect(cert.spec.issuerRef).toEqual({ name: 'letsencrypt-prod', kind: 'ClusterIssuer', group: 'cert-manager.io' });
  });

  test('an issuer without TLS is refused', () => {
    expect(() => new MicroserviceChart(new App(), 'user-service', { image: IMAGE, ingress: { host: 'user-api.example.com', tls: false, clusterIssuer: 'le' } }))
      .toThrow('[user-service/Ingress] invalid ingress.clusterIssuer: "le"; allowed: a certificate issuer only with tls (tls is false)');
  });

  test('two Certificates writing one Secret are an error', () => {
    const chart = new Chart(new App(), 'edge', { namespace: 'shop' });
    new TlsCertificate(chart, 'A', { name: 'a', secretName: 'tls', dnsNames: ['a.example.com'], issuer: { name: 'le' } });
    new TlsCertificate(chart, 'B', { name: 'b', secretName: 'tls', dnsNames: ['b.example.com'], issuer: { name: 'le' } });
    const errors = errorsOf(render(chart as any), ['ClusterIssuer/le']).filter((f) => f.check === 'platform-reference');
    expect(errors).toEqual([expect.objectContaining({ object: 'Certificate/shop/b', path: 'spec.secretName', message: expect.stringContaining('also written by Certificate/shop/a') })]);
  });
});
