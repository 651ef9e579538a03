import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import * as v from '../core/validators';

/** Load balancing: a simple algorithm, or consistent hashing for session affinity. */
export type LoadBalancer =
  | { readonly simple: 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'LEAST_CONN' | 'RANDOM' | 'PASSTHROUGH' }
  | { readonly consistentHash: { readonly httpHeaderName: string } | { readonly httpCookie: { readonly name: string; readonly ttl: string; readonly path?: string } } | { readonly useSourceIp: true } };

/** Connection limits (the "circuit breaker" of Envoy's connection pool). */
export interface ConnectionPool {
  readonly tcp?: {
    readonly maxConnections?: number;
    readonly connectTimeout?: string;
    /** TCP keepalive probes on upstream connections. */
    readonly tcpKeepalive?: { readonly time?: string; readonly interval?: string; readonly probes?: number };
  };
  readonly http?: {
    readonly http1MaxPendingRequests?: number;
    readonly http2MaxRequests?: number;
    readonly maxRequestsPerConnection?: number;
    readonly maxRetries?: number;
    readonly idleTimeout?: string;
  };
}

/** Ejection of failing endpoints. */
export interface OutlierDetection {
  /** Consecutive 5xx responses before an endpoint is ejected. */
  readonly consecutive5xxErrors?: number;
  /** Consecutive 502/503/504 before ejection. */
  readonly consecutiveGatewayErrors?: number;
  /** Time between analysis sweeps. */
  readonly interval?: string;
  /** Minimum ejection duration (multiplied by the number of ejections). */
  readonly baseEjectionTime?: string;
  /** Most endpoints that may be ejected, percent. */
  readonly maxEjectionPercent?: number;
  /** Ejection stops when fewer endpoints than this percentage are healthy. */
  readonly minHealthPercent?: number;
}

/** How callers talk to a service (or one subset of it). */
export interface TrafficPolicyOptions {
  readonly loadBalancer?: LoadBalancer;
  readonly connectionPool?: ConnectionPool;
  readonly outlierDetection?: OutlierDetection;
  /** Originate Istio mutual TLS to the service. */
  readonly tls?: { readonly mode: 'ISTIO_MUTUAL' | 'DISABLE' | 'SIMPLE' | 'MUTUAL' };
}

/** Validates `policy` and returns it as a DestinationRule `trafficPolicy`. */
export function renderTrafficPolicy(scope: IConstruct, field: string, policy: TrafficPolicyOptions | undefined): any {
  if (!policy) return undefined;
  const lb = policy.loadBalancer;
  if (lb && 'simple' in lb) v.oneOf(scope, `${field}.loadBalancer.simple`, lb.simple, ['ROUND_ROBIN', 'LEAST_REQUEST', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH'] as const);
  if (lb && 'consistentHash' in lb) {
    const h: any = lb.consistentHash;
    if (h.httpCookie) v.duration(scope, `${field}.loadBalancer.consistentHash.httpCookie.ttl`, h.httpCookie.ttl, 0);
    if (!h.httpHeaderName && !h.httpCookie && !h.useSourceIp) fail(scope, `${field}.loadBalancer.consistentHash`, h, 'one of httpHeaderName, httpCookie or useSourceIp');
  }
  const pool = policy.connectionPool;
  const count = (f: string, n: number | undefined) => n === undefined || v.integer(scope, `${field}.connectionPool.${f}`, n, 0, 2 ** 31 - 1);
  count('tcp.maxConnections', pool?.tcp?.maxConnections);
  if (pool?.tcp?.connectTimeout !== undefined) v.duration(scope, `${field}.connectionPool.tcp.connectTimeout`, pool.tcp.connectTimeout);
  const keepalive = pool?.tcp?.tcpKeepalive;
  if (keepalive?.time !== undefined) v.duration(scope, `${field}.connectionPool.tcp.tcpKeepalive.time`, keepalive.time);
  if (keepalive?.interval !== undefined) v.duration(scope, `${field}.connectionPool.tcp.tcpKeepalive.interval`, keepalive.interval);
  count('tcp.tcpKeepalive.probes', keepalive?.probes);
  count('http.http1MaxPendingRequests', pool?.http?.http1MaxPendingRequests);
  count('http.http2MaxRequests', pool?.http?.http2MaxRequests);
  count('http.maxRequestsPerConnection', pool?.http?.maxRequestsPerConnection);
  count('http.maxRetries', pool?.http?.maxRetries);
  if (pool?.http?.idleTimeout !== undefined) v.duration(scope, `${field}.connectionPool.http.idleTimeout`, pool.http.idleTimeout);
  const od = policy.outlierDetection;
  if (od) {
    if (od.consecutive5xxErrors !== undefined) v.integer(scope, `${field}.outlierDetection.consecutive5xxErrors`, od.consecutive5xxErrors, 0, 1_000_000);
    if (od.consecutiveGatewayErrors !== undefined) v.integer(scope, `${field}.outlierDetection.consecutiveGatewayErrors`, od.consecutiveGatewayErrors, 0, 1_000_000);
    if (od.interval !== undefined) v.duration(scope, `${field}.outlierDetection.interval`, od.interval);
    if (od.baseEjectionTime !== undefined) v.duration(scope, `${field}.outlierDetection.baseEjectionTime`, od.baseEjectionTime);
    if (od.maxEjectionPercent !== undefined) v.percentage(scope, `${field}.outlierDetection.maxEjectionPercent`, od.maxEjectionPercent);
    if (od.minHealthPercent !== undefined) v.percentage(scope, `${field}.outlierDetection.minHealthPercent`, od.minHealthPercent);
  }
  if (policy.tls) v.oneOf(scope, `${field}.tls.mode`, policy.tls.mode, ['ISTIO_MUTUAL', 'DISABLE', 'SIMPLE', 'MUTUAL'] as const);
  return { loadBalancer: lb, connectionPool: pool, outlierDetection: od, tls: policy.tls };
}
