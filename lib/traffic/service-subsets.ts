import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import type { MicroserviceChart, ServiceTrack } from '../microservice/microservice-chart';
import { TrafficPolicyOptions } from './traffic-policy';

/**
 * A named group of a service's pods that routes may send traffic to (an Istio DestinationRule
 * subset). The name is free (`testversion`), the labels select one or more tracks: by `version`,
 * or by labels a track carries besides it (region, zone).
 */
export interface SubsetOptions {
  /** The subset's name, as routes and weights name it. */
  readonly name: string;
  /** Pod labels the subset selects; every label must be carried by at least one track's pods. */
  readonly labels: Record<string, string>;
  /** Traffic policy of this subset (overrides the service's). @default the service's policy */
  readonly trafficPolicy?: TrafficPolicyOptions;
}

/** A subset as resolved against the service's tracks. */
export interface ServiceSubset {
  /** The subset's name. */
  readonly name: string;
  /** The labels it selects. */
  readonly labels: Readonly<Record<string, string>>;
  /** The tracks whose pods it selects (at least one). */
  readonly tracks: readonly ServiceTrack[];
  /** Its own traffic policy, when it has one. */
  readonly trafficPolicy?: TrafficPolicyOptions;
}

/** True when the pods of `track` carry every label of `labels`. */
export function selectsTrack(labels: Readonly<Record<string, string>>, track: ServiceTrack): boolean {
  return Object.entries(labels).every(([key, value]) => track.labels[key] === value);
}

/** One subset per track, named after its version and selecting it by `version` (the two-track default). */
export function trackSubsets(service: MicroserviceChart): ServiceSubset[] {
  return service.tracks.map((track) => ({ name: track.version, labels: { version: track.version }, tracks: [track] }));
}

/**
 * Validates `subsets` (field `field` of `scope`) against the tracks of `service` and resolves
 * them: unique DNS-label names, non-empty label sets, each selecting at least one track. Without
 * subsets, one per track ({@link trackSubsets}).
 */
export function resolveSubsets(scope: IConstruct, field: string, service: MicroserviceChart, subsets: readonly SubsetOptions[] | undefined): ServiceSubset[] {
  if (!v.isSet(subsets)) return trackSubsets(service);
  const list = v.nonEmpty(scope, field, subsets as SubsetOptions[]);
  const resolved = list.map((s, i) => {
    v.object(scope, `${field}[${i}]`, s, 'a SubsetOptions object { name, labels, trafficPolicy? }');
    const name = v.dnsLabel(scope, `${field}[${i}].name`, s.name);
    const labels = v.labels(scope, `${field}[${i}].labels`, s.labels);
    if (Object.keys(labels).length === 0) fail(scope, `${field}[${i}].labels`, labels, 'at least one label, e.g. { version: "v3" }');
    const tracks = service.tracks.filter((t) => selectsTrack(labels, t));
    if (tracks.length === 0) {
      const described = service.tracks.map((t) => `${t.deploymentName} (${Object.entries(t.labels).filter(([k]) => k !== 'app' && !k.startsWith('app.kubernetes.io/')).map(([k, val]) => `${k}=${val}`).join(', ')})`);
      fail(scope, `${field}[${i}].labels`, labels, `labels selecting at least one track of ${service.serviceName}: ${described.join('; ')}`);
    }
    const trafficPolicy = v.optionalObject(scope, `${field}[${i}].trafficPolicy`, s.trafficPolicy, 'a TrafficPolicyOptions object');
    return { name, labels, tracks, trafficPolicy };
  });
  v.unique(scope, `${field} (names)`, resolved.map((s) => s.name));
  return resolved;
}
