import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CustomKinds } from '../core/custom-kinds';
import * as v from '../core/validators';
import type { IstioApiVersion } from './canary-route';

/** Props of {@link ExternalServiceEntry}. */
export interface ExternalServiceEntryProps {
  /** Name of the ServiceEntry. */
  readonly name: string;
  /** External host names, e.g. "api.stripe.com". */
  readonly hosts: string[];
  /** Ports and protocols. @default 443 HTTPS */
  readonly ports?: Array<{ readonly number: number; readonly protocol: 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'GRPC' }>;
  /** @default "v1" */
  readonly istioApiVersion?: IstioApiVersion;
}

/** Registers an external API in the mesh, so calls to it are allowed and observed (REGISTRY_ONLY outbound). */
export class ExternalServiceEntry extends Construct {
  constructor(scope: Construct, id: string, props: ExternalServiceEntryProps) {
    super(scope, id);
    v.props(this, props, 'ExternalServiceEntryProps');
    v.nonEmpty(this, 'hosts', props.hosts).forEach((h, i) => v.hostName(this, `hosts[${i}]`, h));
    const ports = (v.isSet(props.ports) ? v.list(this, 'ports', props.ports) : [{ number: 443, protocol: 'HTTPS' as const }]).map((p, i) => {
      v.object(this, `ports[${i}]`, p, 'an object { number, protocol }');
      v.port(this, `ports[${i}].number`, p.number);
      v.oneOf(this, `ports[${i}].protocol`, p.protocol, ['HTTP', 'HTTPS', 'TLS', 'TCP', 'GRPC'] as const);
      return { number: p.number, name: `${p.protocol.toLowerCase()}-${p.number}`, protocol: p.protocol };
    });
    const gvk = CustomKinds.ServiceEntry[v.oneOf(this, 'istioApiVersion', props.istioApiVersion ?? 'v1', ['v1', 'v1beta1'] as const)];
    new ApiObject(this, 'Resource', {
      ...gvk,
      metadata: { name: v.dnsSubdomain(this, 'name', props.name) },
      spec: { hosts: props.hosts, ports, location: 'MESH_EXTERNAL', resolution: 'DNS' },
    });
  }
}
