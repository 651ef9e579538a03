import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import * as v from '../core/validators';

/** How a service's Service is reached, beyond its type. */
export interface ServiceExposureOptions {
  readonly serviceAnnotations?: Record<string, string>;
  readonly loadBalancerSourceRanges?: string[];
  readonly headless?: boolean;
}

const CIDR = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;

/**
 * The Service fields of `options` for `type`, validated: source ranges only on a LoadBalancer,
 * headless only for ClusterIP.
 */
export function serviceExposure(scope: IConstruct, type: 'ClusterIP' | 'NodePort' | 'LoadBalancer', options: ServiceExposureOptions) {
  const annotations = v.stringMap(scope, 'serviceAnnotations', options.serviceAnnotations);
  const ranges = v.stringList(scope, 'loadBalancerSourceRanges', options.loadBalancerSourceRanges);
  if (ranges.length > 0 && type !== 'LoadBalancer') fail(scope, 'loadBalancerSourceRanges', ranges, 'source ranges only with serviceType "LoadBalancer"');
  ranges.forEach((r, i) => { if (!CIDR.test(r)) fail(scope, `loadBalancerSourceRanges[${i}]`, r, 'a CIDR such as "203.0.113.0/24"'); });
  const headless = v.optionalBoolean(scope, 'headless', options.headless) ?? false;
  if (headless && type !== 'ClusterIP') fail(scope, 'headless', true, 'headless only with serviceType "ClusterIP" (a headless Service has no cluster IP to expose)');
  return {
    annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
    loadBalancerSourceRanges: ranges.length > 0 ? [...ranges] : undefined,
    clusterIp: headless ? 'None' : undefined,
  };
}
