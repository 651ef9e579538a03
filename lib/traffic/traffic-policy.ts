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
  if (!v.isSet(policy)) return undefined;
  v.object(scope, field, policy, 'a TrafficPolicyOptions object { loadBalancer?, connectionPool?, outlierDetection?, tls? }');
  const lb = v.optionalObject(scope, `${field}.loadBalancer`, policy.loadBalancer, 'a LoadBalancer: { simple } or { consistentHash }');
  if (lb && 'simple' in lb) v.oneOf(scope, `${field}.loadBalancer.simple`, lb.simple, ['ROUND_ROBIN', 'LEAST_REQUEST', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH'] as const);
  if (lb && 'consistentHash' in lb) {
    const h: any = v.object(scope, `${field}.loadBalancer.consistentHash`, lb.consistentHash, 'one of { httpHeaderName }, { httpCookie }, { useSourceIp: true }');
    if (v.isSet(h.httpCookie)) {
      v.object(scope, `${field}.loadBalancer.consistentHash.httpCookie`, h.httpCookie, 'an object { name, ttl, path? }');
      v.text(scope, `${field}.loadBalancer.consistentHash.httpCookie.name`, h.httpCookie.name, 'the cookie name');
      v.duration(scope, `${field}.loadBalancer.consistentHash.httpCookie.ttl`, h.httpCookie.ttl, 0);
    }
    if (!h.httpHeaderName && !h.httpCookie && !h.useSourceIp) fail(scope, `${field}.loadBalancer.consistentHash`, h, 'one of httpHeaderName, httpCookie or useSourceIp');
  }
  const pool = v.optionalObject(scope, `${field}.connectionPool`, policy.connectionPool, 'a ConnectionPool object { tcp?, http? }');
  const tcp = v.optionalObject(scope, `${field}.connectionPool.tcp`, pool?.tcp, 'an object { maxConnections?, connectTimeout?, tcpKeepalive? }');
  const http = v.optionalObject(scope, `${field}.connectionPool.http`, pool?.http, 'an object { http1MaxPendingRequests?, http2MaxRequests?, … }');
  const count = (f: string, n: number | undefined) => !v.isSet(n) || v.integer(scope, `${field}.connectionPool.${f}`, n, 0, 2 ** 31 - 1);
  count('tcp.maxConnections', tcp?.maxConnections);
  if (v.isSet(tcp?.connectTimeout)) v.duration(scope, `${field}.connectionPool.tcp.connectTimeout`, tcp.connectTimeout);
  const keepalive = v.optionalObject(scope, `${field}.connectionPool.tcp.tcpKeepalive`, tcp?.tcpKeepalive, 'an object { time?, interval?, probes? }');
  if (v.isSet(keepalive?.time)) v.duration(scope, `${field}.connectionPool.tcp.tcpKeepalive.time`, keepalive.time);
  if (v.isSet(keepalive?.interval)) v.duration(scope, `${field}.connectionPool.tcp.tcpKeepalive.interval`, keepalive.interval);
  count('tcp.tcpKeepalive.probes', keepalive?.probes);
  count('http.http1MaxPendingRequests', http?.http1MaxPendingRequests);
  count('http.http2MaxRequests', http?.http2MaxRequests);
  count('http.maxRequestsPerConnection', http?.maxRequestsPerConnection);
  count('http.maxRetries', http?.maxRetries);
  if (v.isSet(http?.idleTimeout)) v.duration(scope, `${field}.connectionPool.http.idleTimeout`, http.idleTimeout);
  const od = v.optionalObject(scope, `${field}.outlierDetection`, policy.outlierDetection, 'an OutlierDetection object');
  if (od) {
    if (v.isSet(od.consecutive5xxErrors)) v.integer(scope, `${field}.outlierDetection.consecutive5xxErrors`, od.consecutive5xxErrors, 0, 1_000_000);
    if (v.isSet(od.consecutiveGatewayErrors)) v.integer(scope, `${field}.outlierDetection.consecutiveGatewayErrors`, od.consecutiveGatewayErrors, 0, 1_000_000);
    if (v.isSet(od.interval)) v.duration(scope, `${field}.outlierDetection.interval`, od.interval);
    if (v.isSet(od.baseEjectionTime)) v.duration(scope, `${field}.outlierDetection.baseEjectionTime`, od.baseEjectionTime);
    if (v.isSet(od.maxEjectionPercent)) v.percentage(scope, `${field}.outlierDetection.maxEjectionPercent`, od.maxEjectionPercent);
    if (v.isSet(od.minHealthPercent)) v.percentage(scope, `${field}.outlierDetection.minHealthPercent`, od.minHealthPercent);
  }
  const tls = v.optionalObject(scope, `${field}.tls`, policy.tls, 'an object { mode }');
  if (tls) v.oneOf(scope, `${field}.tls.mode`, tls.mode, ['ISTIO_MUTUAL', 'DISABLE', 'SIMPLE', 'MUTUAL'] as const);
  return { loadBalancer: lb, connectionPool: pool, outlierDetection: od, tls };
}
