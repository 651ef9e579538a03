import { Construct } from 'constructs';
import * as v from '../core/validators';
import { KedaScaler, KedaScalerProps } from './keda-scaler';
import { KedaTrigger, RedisListOptions } from './keda-trigger';

/** Props of {@link KedaRedisScaler}. */
export interface KedaRedisScalerProps extends Omit<KedaScalerProps, 'triggers'> {
  /** The Redis list: `address` ("host:port") or `host` and `port`, list name and target length. */
  readonly redis: RedisListOptions & { readonly address?: string; readonly host?: string; readonly port?: number };
}

/** Scales a service on the length of a Redis list (a work queue), e.g. `order-queue` at 10 items per replica. */
export class KedaRedisScaler extends Construct {
  /** The underlying scaler. */
  public readonly scaler: KedaScaler;

  constructor(scope: Construct, id: string, props: KedaRedisScalerProps) {
    super(scope, id);
    const { redis, ...rest } = v.props(this, props, 'KedaRedisScalerProps');
    v.object(this, 'redis', redis, 'the Redis list: { listName, listLength, address or host (+ port), … }');
    this.scaler = new KedaScaler(this, 'Scaler', { ...rest, triggers: [KedaTrigger.redisList(redis)] });
  }
}
