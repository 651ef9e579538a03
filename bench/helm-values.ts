// Values for bench/helm/microservice describing the same services as a synthesized output: read
// back from the manifests, so the Helm side of the comparison renders what synthesis rendered
// (same services, images, ports, replicas, config, secrets, call graph, ingress, canary).
/** One entry of the chart's `services`. */
export interface HelmServiceValues {
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly port: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly config: Record<string, string>;
  readonly secretStore: string;
  readonly secretKeys: Record<string, { remoteKey: string; property?: string }>;
  readonly callers: string[];
  readonly egress: Array<{ namespace: string; port: number }>;
  readonly ingressHost?: string;
  /** Istio DestinationRule + VirtualService. */
  readonly routing: boolean;
  /** An ALLOW AuthorizationPolicy from the call graph. */
  readonly authorization: boolean;
  readonly canaryImage?: string;
  readonly canaryWeight?: number;
}

/** The services of `manifests` (one per stable-track Deployment), in output order. */
export function helmValuesFrom(manifests: readonly any[]): HelmServiceValues[] {
  const of = (kind: string) => manifests.filter((m) => m?.kind === kind);
  const deployments = of('Deployment');
  return deployments.filter((d) => d.metadata.labels?.version !== 'v2').map((d): HelmServiceValues => {
    const app: string = d.metadata.labels?.app ?? d.metadata.name;
    const namespace: string = d.metadata.namespace;
    const container = d.spec.template.spec.containers[0];
    const autoscaler = of('HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.name === d.metadata.name)?.spec
      ?? of('ScaledObject').find((s) => s.spec.scaleTargetRef.name === d.metadata.name)?.spec;
    const configMap = of('ConfigMap').find((c) => c.metadata.namespace === namespace && c.metadata.name.startsWith(`${app}-config`));
    const externalSecret = of('ExternalSecret').find((e) => e.metadata.namespace === namespace && e.metadata.labels?.app === app);
    const policy = of('NetworkPolicy').find((p) => p.metadata.namespace === namespace && p.spec.podSelector?.matchLabels?.app === app);
    const ingress = of('Ingress').find((i) => i.spec.rules?.some((r: any) => r.http?.paths?.some((p: any) => p.backend.service?.name === app)));
    const canary = deployments.find((c) => c.metadata.labels?.app === app && c.metadata.labels?.version === 'v2');
    const route = of('VirtualService').find((v) => v.metadata.namespace === namespace && v.metadata.name === app);
    const canaryWeight = route?.spec.http?.flatMap((h: any) => h.route ?? []).find((r: any) => r.destination.subset === 'v2' && r.weight !== undefined)?.weight;
    return {
      name: app,
      namespace,
      image: container.image,
      port: container.ports?.[0]?.containerPort ?? 8080,
      minReplicas: autoscaler?.minReplicas ?? autoscaler?.minReplicaCount ?? 1,
      maxReplicas: autoscaler?.maxReplicas ?? autoscaler?.maxReplicaCount ?? 1,
      config: Object.fromEntries(Object.entries(configMap?.data ?? {}).map(([k, v]) => [k.replace(/[^A-Za-z0-9_]/g, '_'), String(v)])),
      secretStore: externalSecret?.spec.secretStoreRef.name ?? 'none',
      secretKeys: Object.fromEntries((externalSecret?.spec.data ?? []).map((e: any) => [e.secretKey, { remoteKey: e.remoteRef.key, property: e.remoteRef.property }])),
      callers: [...new Set<string>((policy?.spec.ingress ?? []).flatMap((r: any) => (r.from ?? []).map((f: any) => f.podSelector?.matchLabels?.app)).filter(Boolean))],
      egress: (policy?.spec.egress ?? []).flatMap((r: any) => (r.to ?? []).map((t: any) => t.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'])
        .filter((ns: string | undefined) => ns && ns !== 'kube-system')
        .map((ns: string) => ({ namespace: ns, port: r.ports?.[0]?.port ?? 0 }))),
      ingressHost: ingress?.spec.rules[0].host,
      routing: route !== undefined,
      authorization: of('AuthorizationPolicy').some((p) => p.metadata.namespace === namespace && p.spec.action === 'ALLOW' && p.spec.selector?.matchLabels?.app === app),
      canaryImage: canary?.spec.template.spec.containers[0].image,
      canaryWeight,
    };
  });
}
