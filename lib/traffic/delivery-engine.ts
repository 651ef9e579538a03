import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { MicroserviceChart } from '../microservice/microservice-chart';

/** A controller that runs a service's progressive delivery in the cluster. */
export type DeliveryEngine = 'Flagger' | 'Argo Rollouts';

const ENGINES = new WeakMap<MicroserviceChart, { engine: DeliveryEngine; path: string }>();

/**
 * Records that `engine` (constructed at `scope`) delivers `service`. Two engines on one service
 * would both run its pods and both rewrite its routes, each undoing the other's steps: refused,
 * naming the first.
 */
export function claimDeliveryEngine(scope: IConstruct, service: MicroserviceChart, engine: DeliveryEngine): void {
  const owner = ENGINES.get(service);
  if (owner) {
    fail(scope, 'service', service.serviceName, `a service with one progressive-delivery engine: ${service.serviceName} is already delivered by ${owner.engine} (${owner.path}); ${engine} and ${owner.engine} would both run its pods and shift its traffic`);
  }
  ENGINES.set(service, { engine, path: scope.node.path });
}
