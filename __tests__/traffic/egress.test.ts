import { App, Chart } from 'cdk8s';
import { ExternalServiceEntry, ExternalServiceEntryProps, PlatformNamespace } from '../../lib';
import { only, render } from '../helpers';
import { findings } from './bookinfo';

function egress(props: Partial<ExternalServiceEntryProps> = {}) {
  const app = new App();
  new PlatformNamespace(app, 'namespace', { name: 'bookinfo', istioInjection: true });
  const edge = new Chart(app, 'edge', { namespace: 'bookinfo', disableResourceNameHashes: true });
  new ExternalServiceEntry(edge, 'GoogleApis', { name: 'googleapis', hosts: ['www.googleapis.com'], tlsOrigination: {}, ...props });
  return app;
}

describe('egress TLS origination (bookinfo egress-rule-google-apis)', () => {
  test('ServiceEntry on 80 and 443, a VirtualService sending port 80 to 443, a DestinationRule originating TLS on 443', () => {
    const app = egress();
    const objects = render(app);
    expect(only(objects, 'ServiceEntry', 'googleapis').spec).toEqual({
      hosts: ['www.googleapis.com'],
      ports: [{ number: 80, name: 'http-80', protocol: 'HTTP' }, { number: 443, name: 'https-443', protocol: 'HTTPS' }],
      location: 'MESH_EXTERNAL', resolution: 'DNS',
    });
    expect(only(objects, 'VirtualService', 'googleapis').spec).toEqual({
      hosts: ['www.googleapis.com'],
      http: [{ match: [{ port: 80 }], route: [{ destination: { host: 'www.googleapis.com', port: { number: 443 } } }] }],
    });
    expect(only(objects, 'DestinationRule', 'googleapis').spec).toEqual({
      host: 'www.googleapis.com',
      trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE' } }] },
    });
    expect(findings(app)).toEqual([]);
  });

  test('other ports and an SNI', () => {
    const objects = render(egress({ tlsOrigination: { httpPort: 8080, tlsPort: 8443, sni: 'www.googleapis.com' } }));
    expect(only(objects, 'VirtualService', 'googleapis').spec.http[0]).toEqual({ match: [{ port: 8080 }], route: [{ destination: { host: 'www.googleapis.com', port: { number: 8443 } } }] });
    expect(only(objects, 'DestinationRule', 'googleapis').spec.trafficPolicy.portLevelSettings).toEqual([{ port: { number: 8443 }, tls: { mode: 'SIMPLE', sni: 'www.googleapis.com' } }]);
  });

  test('without tlsOrigination: the ServiceEntry alone, as before', () => {
    const objects = render(egress({ tlsOrigination: undefined }));
    expect(objects.filter((o) => ['VirtualService', 'DestinationRule'].includes(o.kind))).toEqual([]);
  });

  test.each<[string, Partial<ExternalServiceEntryProps>, string | RegExp]>([
    ['two hosts', { hosts: ['a.example.com', 'b.example.com'] }, /invalid hosts: \["a.example.com","b.example.com"\]; allowed: exactly one host with tlsOrigination/],
    ['the same port twice', { tlsOrigination: { httpPort: 443 } }, /invalid ports \(numbers\)/],
    ['ports without the HTTPS port', { ports: [{ number: 80, protocol: 'HTTP' }] }, /invalid ports: \[\{"number":80,"protocol":"HTTP"\}\]; allowed: ports including 443 HTTPS \(tlsOrigination uses it\)/],
    ['a malformed SNI', { tlsOrigination: { sni: 'not a host' } }, /invalid tlsOrigination.sni: "not a host"/],
    ['tlsOrigination as a string', { tlsOrigination: 'SIMPLE' as any }, /invalid tlsOrigination: "SIMPLE"/],
  ])('refused: %s', (_name, props, message) => {
    expect(() => egress(props)).toThrow(message);
  });

  test('a second route for the external host is refused', () => {
    const app = egress();
    const chart = new Chart(app, 'other', { namespace: 'bookinfo' });
    expect(() => new ExternalServiceEntry(chart, 'Again', { name: 'googleapis-2', hosts: ['www.googleapis.com'], tlsOrigination: {} }))
      .toThrow('[other/Again] invalid hosts[0]: "www.googleapis.com"; allowed: a host without a VirtualService yet (edge/GoogleApis already routes bookinfo/www.googleapis.com)');
  });
});
