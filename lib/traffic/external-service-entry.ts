import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CustomKinds } from '../core/custom-kinds';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import type { IstioApiVersion } from './canary-route';
import { claimHost } from './host-claims';

/** TLS origination to an external host: the application speaks plain HTTP, the sidecar speaks HTTPS. */
export interface TlsOriginationOptions {
  /** The plain-HTTP port the application calls. @default 80 */
  readonly httpPort?: number;
  /** The HTTPS port of the external host, to which the sidecar sends the calls over TLS. @default 443 */
  readonly tlsPort?: number;
  /** Server name sent in the TLS handshake. @default none (Envoy sends the host of the request) */
  readonly sni?: string;
}

/** Props of {@link ExternalServiceEntry}. */
export interface ExternalServiceEntryProps {
  /** Name of the ServiceEntry (and of its DestinationRule and VirtualService with TLS origination). */
  readonly name: string;
  /** External host names, e.g. "api.stripe.com". */
  readonly hosts: string[];
  /** Ports and protocols. @default 443 HTTPS; with tlsOrigination, its HTTP and HTTPS ports */
  readonly ports?: Array<{ readonly number: number; readonly protocol: 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'GRPC' }>;
  /**
   * Originate TLS in the sidecar (Istio's egress TLS origination): a VirtualService sends the
   * plain-HTTP port to the HTTPS port, and a DestinationRule opens TLS (`mode: SIMPLE`) on it, so
   * calls leave the mesh encrypted while the sidecar still sees (and can route, retry and observe)
   * the requests. One host only. @default none
   */
  readonly tlsOrigination?: TlsOriginationOptions;
  /** @default "v1" */
  readonly istioApiVersion?: IstioApiVersion;
}

/** Registers an external API in the mesh, so calls to it are allowed and observed (REGISTRY_ONLY outbound); optionally originates TLS to it. */
export class ExternalServiceEntry extends Construct {
  constructor(scope: Construct, id: string, props: ExternalServiceEntryProps) {
    super(scope, id);
    v.props(this, props, 'ExternalServiceEntryProps');
    const name = v.dnsSubdomain(this, 'name', props.name);
    const hosts = v.nonEmpty(this, 'hosts', props.hosts);
    hosts.forEach((h, i) => v.hostName(this, `hosts[${i}]`, h));
    const origination = v.optionalObject(this, 'tlsOrigination', props.tlsOrigination, 'a TlsOriginationOptions object { httpPort?, tlsPort?, sni? }');
    const httpPort = origination && v.port(this, 'tlsOrigination.httpPort', origination.httpPort ?? 80);
    const tlsPort = origination && v.port(this, 'tlsOrigination.tlsPort', origination.tlsPort ?? 443);
    const defaultPorts = origination
      ? [{ number: httpPort!, protocol: 'HTTP' as const }, { number: tlsPort!, protocol: 'HTTPS' as const }]
      : [{ number: 443, protocol: 'HTTPS' as const }];
    const ports = (v.isSet(props.ports) ? v.list(this, 'ports', props.ports) : defaultPorts).map((p, i) => {
      v.object(this, `ports[${i}]`, p, 'an object { number, protocol }');
      v.port(this, `ports[${i}].number`, p.number);
      v.oneOf(this, `ports[${i}].protocol`, p.protocol, ['HTTP', 'HTTPS', 'TLS', 'TCP', 'GRPC'] as const);
      return { number: p.number, name: `${p.protocol.toLowerCase()}-${p.number}`, protocol: p.protocol };
    });
    v.unique(this, 'ports (numbers)', ports.map((p) => String(p.number)));
    const apiVersion = v.oneOf(this, 'istioApiVersion', props.istioApiVersion ?? 'v1', ['v1', 'v1beta1'] as const);
    new ApiObject(this, 'Resource', {
      ...CustomKinds.ServiceEntry[apiVersion],
      metadata: { name },
      spec: { hosts: props.hosts, ports, location: 'MESH_EXTERNAL', resolution: 'DNS' },
    });
    if (!origination) return;

    if (hosts.length !== 1) fail(this, 'hosts', hosts, 'exactly one host with tlsOrigination (the VirtualService sends it to itself on the TLS port)');
    if (httpPort === tlsPort) fail(this, 'tlsOrigination.tlsPort', tlsPort, `a port other than the HTTP port ${httpPort}`);
    for (const [port, protocol] of [[httpPort!, 'HTTP'], [tlsPort!, 'HTTPS']] as const) {
      if (!ports.some((p) => p.number === port && p.protocol === protocol)) fail(this, 'ports', props.ports, `ports including ${port} ${protocol} (tlsOrigination uses it)`);
    }
    const host = hosts[0];
    const sni = v.isSet(origination.sni) ? v.hostName(this, 'tlsOrigination.sni', origination.sni) : undefined;
    claimHost(this, 'hosts[0]', { namespace: Chart.of(this).namespace ?? 'default', gateway: 'mesh', host, owner: `ExternalServiceEntry ${name}` });
    new ApiObject(this, 'DestinationRule', {
      ...CustomKinds.DestinationRule[apiVersion],
      metadata: { name },
      spec: { host, trafficPolicy: { portLevelSettings: [{ port: { number: tlsPort }, tls: { mode: 'SIMPLE', sni } }] } },
    });
    new ApiObject(this, 'VirtualService', {
      ...CustomKinds.VirtualService[apiVersion],
      metadata: { name },
      spec: { hosts: [host], http: [{ match: [{ port: httpPort }], route: [{ destination: { host, port: { number: tlsPort } } }] }] },
    });
  }
}
