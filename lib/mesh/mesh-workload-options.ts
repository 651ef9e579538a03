import { IConstruct } from 'constructs';
import * as v from '../core/validators';

/** Istio settings of one service's pods. */
export interface MeshWorkloadOptions {
  /** Inject the sidecar (`true`), keep it out (`false`), or follow the namespace's label. @default the namespace's label */
  readonly sidecar?: boolean;
  /** Requests and limits of the istio-proxy container. @default requests 100m / 128Mi, limits 500m / 512Mi (seed 002) */
  readonly proxyResources?: { readonly cpuRequest?: string; readonly memoryRequest?: string; readonly cpuLimit?: string; readonly memoryLimit?: string };
  /** Start the application only once its proxy is ready, so its first calls do not fail. @default true */
  readonly holdApplicationUntilProxyStarts?: boolean;
}

/** Defaults of the proxy's resources (seed 002's Istio sidecar quota). */
export const PROXY_RESOURCE_DEFAULTS = { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '500m', memoryLimit: '512Mi' } as const;

/** Pod labels and annotations that carry `options` to Istio's injector. */
export function meshPodMetadata(scope: IConstruct, value?: MeshWorkloadOptions): { labels: Record<string, string>; annotations: Record<string, string> } {
  const options = v.optionalObject(scope, 'mesh', value, 'a MeshWorkloadOptions object { sidecar?, proxyResources?, holdApplicationUntilProxyStarts? }') ?? {};
  const given = v.optionalObject(scope, 'mesh.proxyResources', options.proxyResources, 'an object { cpuRequest?, memoryRequest?, cpuLimit?, memoryLimit? }') ?? {};
  const r = { ...PROXY_RESOURCE_DEFAULTS, ...Object.fromEntries(Object.entries(given).filter(([, x]) => v.isSet(x))) };
  const q = (field: string, value: string) => v.quantity(scope, `mesh.proxyResources.${field}`, value);
  v.requestWithinLimit(scope, 'mesh.proxyResources.cpuRequest', q('cpuRequest', r.cpuRequest), q('cpuLimit', r.cpuLimit));
  v.requestWithinLimit(scope, 'mesh.proxyResources.memoryRequest', q('memoryRequest', r.memoryRequest), q('memoryLimit', r.memoryLimit));
  return {
    labels: v.optionalBoolean(scope, 'mesh.sidecar', options.sidecar) === undefined ? {} : { 'sidecar.istio.io/inject': String(options.sidecar) },
    annotations: options.sidecar === false ? {} : {
      'sidecar.istio.io/proxyCPU': r.cpuRequest,
      'sidecar.istio.io/proxyCPULimit': r.cpuLimit,
      'sidecar.istio.io/proxyMemory': r.memoryRequest,
      'sidecar.istio.io/proxyMemoryLimit': r.memoryLimit,
      ...((v.optionalBoolean(scope, 'mesh.holdApplicationUntilProxyStarts', options.holdApplicationUntilProxyStarts) ?? true) ? { 'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts":true}' } : {}),
    },
  };
}
