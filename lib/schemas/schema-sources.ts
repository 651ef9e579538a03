/**
 * One upstream definition file the checks validate against, pinned by version and checksum. The
 * file itself is never part of this repository or its package: it is resolved when needed from a
 * local mirror directory or its upstream URL (see {@link SchemaSourceResolver}).
 */
export interface SchemaSource {
  /** Project the file comes from, e.g. `istio`. */
  readonly name: string;
  /** Upstream release, e.g. `1.30.3`. */
  readonly version: string;
  /** Where the file is published: the raw file of the release tag, or the release asset. */
  readonly url: string;
  /**
   * File name, as found in a mirror directory (at its top level, or under `crds/` or `schemas/`)
   * and in the cache directory.
   */
  readonly fileName: string;
  /** SHA-256 of the file's bytes, hex. A file with other bytes is refused wherever it comes from. */
  readonly sha256: string;
  /** `kubernetes`: the Kubernetes OpenAPI (v2) document of the core kinds; `crd`: CustomResourceDefinitions. */
  readonly format: 'kubernetes' | 'crd';
  /**
   * API group of a `crd` file's kinds; for the Kubernetes document, every group it defines kinds
   * of. Known without reading any file. @default none
   */
  readonly group?: string;
  /** The API groups of the Kubernetes document (see {@link group}). @default none */
  readonly groups?: readonly string[];
  /** Kinds the file defines (see {@link group}). @default none */
  readonly kinds?: readonly string[];
  /**
   * The upstream URL publishes several CRDs in one file (Istio's bundle): the pinned file is the
   * document of this kind, cut out of it verbatim. @default the URL's whole content is the file
   */
  readonly extractKind?: string;
}

const GITHUB = 'https://raw.githubusercontent.com';

function crd(name: string, version: string, fileName: string, url: string, sha256: string, group: string, kinds: string[], extractKind?: string): SchemaSource {
  return { name, version, url, fileName, sha256, format: 'crd', group, kinds, ...(extractKind ? { extractKind } : {}) };
}

function istio(kind: string, group: string, sha256: string): SchemaSource {
  return crd('istio', '1.30.3', `istio-1.30.3-${kind.toLowerCase()}.yaml`,
    `${GITHUB}/istio/api/1.30.3/kubernetes/customresourcedefinitions.gen.yaml`, sha256, group, [kind], kind);
}

const KEDA = `${GITHUB}/kedacore/keda/v2.20.2/config/crd/bases`;
const ESO = `${GITHUB}/external-secrets/external-secrets/v2.9.0/config/crds/bases`;
const PROM_OP = `${GITHUB}/prometheus-operator/prometheus-operator/v0.93.0/example/prometheus-operator-crd`;
const CERT_MANAGER = `${GITHUB}/cert-manager/cert-manager/v1.21.1/deploy/crds`;
const GATEWAY_API = `${GITHUB}/kubernetes-sigs/gateway-api/v1.6.1/config/crd/standard`;
const ROLLOUTS = `${GITHUB}/argoproj/argo-rollouts/v1.9.1/manifests/crds`;
const ARGO_CD = `${GITHUB}/argoproj/argo-cd/v3.5.1/manifests/crds`;

/** The Kubernetes API definitions: every core kind's schema. */
export const KUBERNETES_SCHEMA_SOURCE: SchemaSource = {
  name: 'kubernetes',
  version: 'kubernetes-client/python ac0ee50 (2026-05-05)',
  url: `${GITHUB}/kubernetes-client/python/ac0ee50/kubernetes/swagger.json.unprocessed`,
  fileName: 'kubernetes-swagger.json',
  sha256: 'c316f6e232c666148076e82e20371ff656ffbb12e59d8953e6d94ec7685bc75c',
  format: 'kubernetes',
  groups: ['', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'apps', 'authentication.k8s.io',
    'authorization.k8s.io', 'autoscaling', 'batch', 'certificates.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io',
    'flowcontrol.apiserver.k8s.io', 'internal.apiserver.k8s.io', 'networking.k8s.io', 'node.k8s.io', 'policy', 'rbac.authorization.k8s.io',
    'resource.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io', 'storagemigration.k8s.io'],
};

/**
 * Every definition built in: the Kubernetes API and the CRDs of the controllers a platform runs
 * beside it. Kinds of other APIs are validated against schema locations the user adds.
 */
export const BUILTIN_SCHEMA_SOURCES: readonly SchemaSource[] = [
  KUBERNETES_SCHEMA_SOURCE,
  istio('VirtualService', 'networking.istio.io', '7794e30291506172c5d49f246be4870b6e4ac5d3424df30e24d77581ac144d81'),
  istio('DestinationRule', 'networking.istio.io', '533a1d0462351effb9fcbf53843ac483370e9747df72a714c186b2a7c6c47d3a'),
  istio('Gateway', 'networking.istio.io', '6d5c5cc9c91656de5b357df3c2d6268c5d7020829c359ac9116986542e52687f'),
  istio('ServiceEntry', 'networking.istio.io', '98f4cf38e3f86ecec3d8d020abe11bf08502a1669e1620f6417659396fa79a90'),
  istio('Sidecar', 'networking.istio.io', 'e4d106ef1542e09f974cb2f788394869d5b6417ce8e01dd598b98965d836a0e1'),
  istio('PeerAuthentication', 'security.istio.io', 'cde5f5adc189bcac85c5b007bae06d13214585a55899a0c67a11818e97c1d9b8'),
  istio('RequestAuthentication', 'security.istio.io', '034b23da457e94e5b0f9af782860171d42ebd2458ab4d56f289d1a78fe6fee37'),
  istio('AuthorizationPolicy', 'security.istio.io', '2c9cd1ec25096dac7f2e3d3c7106a0af98e2bcc586d144fda067314ef2aef937'),
  istio('Telemetry', 'telemetry.istio.io', '2004cb5473da9dc09a9b06a0d075cddc52aa032ee3a07fda08da7d3f70d5cfe9'),
  crd('keda', '2.20.2', 'keda-v2.20.2-scaledobjects.yaml', `${KEDA}/keda.sh_scaledobjects.yaml`,
    'af35555862a83933b074af14ad439c4b4ceabaf4daa3e9338e9b23e36d308d80', 'keda.sh', ['ScaledObject']),
  crd('keda', '2.20.2', 'keda-v2.20.2-triggerauthentications.yaml', `${KEDA}/keda.sh_triggerauthentications.yaml`,
    '275307b4cb19ca8f0f506a879282aa4c67587ac16ec757f494d6585c5c185d65', 'keda.sh', ['TriggerAuthentication']),
  crd('keda', '2.20.2', 'keda-v2.20.2-clustertriggerauthentications.yaml', `${KEDA}/keda.sh_clustertriggerauthentications.yaml`,
    '177413d75f11b76ba7bf98aef200a1736245254197c7c1d8877fc7a0fc641df4', 'keda.sh', ['ClusterTriggerAuthentication']),
  crd('vertical-pod-autoscaler', '1.7.1', 'vpa-v1.7.1-crd.yaml',
    `${GITHUB}/kubernetes/autoscaler/vertical-pod-autoscaler/v1.7.1/vertical-pod-autoscaler/deploy/vpa-v1-crd-gen.yaml`,
    '92240d0f43a78bc9d64ce70825e84e0cd32d2793b0b605df4772cdcfc36d3fca', 'autoscaling.k8s.io', ['VerticalPodAutoscaler', 'VerticalPodAutoscalerCheckpoint']),
  crd('external-secrets', '2.9.0', 'external-secrets-v2.9.0-externalsecrets.yaml', `${ESO}/external-secrets.io_externalsecrets.yaml`,
    '5044be5a610ca90a075f34f03ed20b462695c43387ba9410db7f4250e47b1e2f', 'external-secrets.io', ['ExternalSecret']),
  crd('external-secrets', '2.9.0', 'external-secrets-v2.9.0-secretstores.yaml', `${ESO}/external-secrets.io_secretstores.yaml`,
    '7f750858d393913915a2f15daff9e1d2f56ca207c09920c055d7a68cceacb641', 'external-secrets.io', ['SecretStore']),
  crd('external-secrets', '2.9.0', 'external-secrets-v2.9.0-clustersecretstores.yaml', `${ESO}/external-secrets.io_clustersecretstores.yaml`,
    'f847c69ae317a76527fc37c163ddfe15d9026e14eb47dd325319e914e0433c2a', 'external-secrets.io', ['ClusterSecretStore']),
  crd('external-secrets', '2.9.0', 'external-secrets-v2.9.0-clusterexternalsecrets.yaml', `${ESO}/external-secrets.io_clusterexternalsecrets.yaml`,
    '9f5563a19efb4bce47f3916937eac160eae1eaec56560e4f6f77b1b2047a8664', 'external-secrets.io', ['ClusterExternalSecret']),
  crd('sealed-secrets', '0.36.6', 'sealed-secrets-v0.36.6-crd.yaml',
    `${GITHUB}/bitnami-labs/sealed-secrets/v0.36.6/helm/sealed-secrets/crds/bitnami.com_sealedsecrets.yaml`,
    'fb33ba448b89c2c3252480664078b7f4bdf0949426e5280d07ca049c0dbdbfb7', 'bitnami.com', ['SealedSecret']),
  crd('flagger', '1.44.0', 'flagger-v1.44.0-crd.yaml', `${GITHUB}/fluxcd/flagger/v1.44.0/artifacts/flagger/crd.yaml`,
    '8d7ad05c2d1d242c0cd4c25c5fb3ad0f75f10706da588aeeb950fe2858134630', 'flagger.app', ['Canary', 'MetricTemplate', 'AlertProvider']),
  crd('prometheus-operator', '0.93.0', 'prometheus-operator-v0.93.0-servicemonitors.yaml', `${PROM_OP}/monitoring.coreos.com_servicemonitors.yaml`,
    'a99047972c9dd7679ce2050b9968e8a08773492e671b3e17abd476d42aa78a32', 'monitoring.coreos.com', ['ServiceMonitor']),
  crd('prometheus-operator', '0.93.0', 'prometheus-operator-v0.93.0-podmonitors.yaml', `${PROM_OP}/monitoring.coreos.com_podmonitors.yaml`,
    '45a93443daa687d3654f7e9631909ff7edcdf3ec09c5e60251b74aa2722aee5d', 'monitoring.coreos.com', ['PodMonitor']),
  crd('prometheus-operator', '0.93.0', 'prometheus-operator-v0.93.0-prometheusrules.yaml', `${PROM_OP}/monitoring.coreos.com_prometheusrules.yaml`,
    '78be98554b9c8506ab2b4f4feb91c5f3a56e536a0a510f3a8e876a459970d56d', 'monitoring.coreos.com', ['PrometheusRule']),
  crd('prometheus-operator', '0.93.0', 'prometheus-operator-v0.93.0-probes.yaml', `${PROM_OP}/monitoring.coreos.com_probes.yaml`,
    'f4ead9704bd4c6303d53e4cc15670faaf0609022a5e08c0ce496286f453666b7', 'monitoring.coreos.com', ['Probe']),
  crd('prometheus-operator', '0.93.0', 'prometheus-operator-v0.93.0-alertmanagerconfigs.yaml', `${PROM_OP}/monitoring.coreos.com_alertmanagerconfigs.yaml`,
    'fed47c462483a47a4d1912bf8a7a3767618644cfdee86dc73d7624c55d6a8b9d', 'monitoring.coreos.com', ['AlertmanagerConfig']),
  crd('cert-manager', '1.21.1', 'cert-manager-v1.21.1-certificates.yaml', `${CERT_MANAGER}/cert-manager.io_certificates.yaml`,
    '7ad91029c00ec959d54215b19d3b1a9b7e0247eaa60f987151c2b70d8661f8af', 'cert-manager.io', ['Certificate']),
  crd('cert-manager', '1.21.1', 'cert-manager-v1.21.1-issuers.yaml', `${CERT_MANAGER}/cert-manager.io_issuers.yaml`,
    '05e37efb02777e0362d24269fa103c2fc11419f9c85e31854ef873e5d9e5c5cc', 'cert-manager.io', ['Issuer']),
  crd('cert-manager', '1.21.1', 'cert-manager-v1.21.1-clusterissuers.yaml', `${CERT_MANAGER}/cert-manager.io_clusterissuers.yaml`,
    '30008001b78aafb8e110af61359561104b5fafc3a4dc6ac0013245d0ee3fe4ca', 'cert-manager.io', ['ClusterIssuer']),
  crd('gateway-api', '1.6.1', 'gateway-api-v1.6.1-standard-gatewayclasses.yaml', `${GATEWAY_API}/gateway.networking.k8s.io_gatewayclasses.yaml`,
    '53710048ba26f8620eed59d5e51b157ecf040daf5c6eef31a4b991e0808c4be5', 'gateway.networking.k8s.io', ['GatewayClass']),
  crd('gateway-api', '1.6.1', 'gateway-api-v1.6.1-standard-gateways.yaml', `${GATEWAY_API}/gateway.networking.k8s.io_gateways.yaml`,
    '25b885f5870b8fff1ae82efa2628b2761cef3745900c2aecf8fb76629a01255a', 'gateway.networking.k8s.io', ['Gateway']),
  crd('gateway-api', '1.6.1', 'gateway-api-v1.6.1-standard-httproutes.yaml', `${GATEWAY_API}/gateway.networking.k8s.io_httproutes.yaml`,
    'a424a0d6c953b162e71d1d97bb7e75012d8f1ac264e7274f2763d1b96ab39852', 'gateway.networking.k8s.io', ['HTTPRoute']),
  crd('gateway-api', '1.6.1', 'gateway-api-v1.6.1-standard-grpcroutes.yaml', `${GATEWAY_API}/gateway.networking.k8s.io_grpcroutes.yaml`,
    '53a8d029da8f07e55d3fa58a5cf6de5950dab19fbb8d6a8082fb5e51ca5ef6fc', 'gateway.networking.k8s.io', ['GRPCRoute']),
  crd('gateway-api', '1.6.1', 'gateway-api-v1.6.1-standard-referencegrants.yaml', `${GATEWAY_API}/gateway.networking.k8s.io_referencegrants.yaml`,
    '8c645e9333cfa67790cc2a53e0c00076f88b2bd4230d2b49688c78bc34f9b2c3', 'gateway.networking.k8s.io', ['ReferenceGrant']),
  crd('argo-rollouts', '1.9.1', 'argo-rollouts-v1.9.1-rollout.yaml', `${ROLLOUTS}/rollout-crd.yaml`,
    'd79c0dab9bb386b1c9329fb69cf0d843fff2152b3f7916839755c1aabc7387f5', 'argoproj.io', ['Rollout']),
  crd('argo-rollouts', '1.9.1', 'argo-rollouts-v1.9.1-analysis-template.yaml', `${ROLLOUTS}/analysis-template-crd.yaml`,
    '96a871705477bb8876f91630789ce753c8291f0ff5457a8cbc781ff150522369', 'argoproj.io', ['AnalysisTemplate']),
  crd('argo-rollouts', '1.9.1', 'argo-rollouts-v1.9.1-cluster-analysis-template.yaml', `${ROLLOUTS}/cluster-analysis-template-crd.yaml`,
    '265283fa1dbf10a6b37c3b1e0ece97fa7fe561ca66da8521ca4b194297b31882', 'argoproj.io', ['ClusterAnalysisTemplate']),
  crd('argo-rollouts', '1.9.1', 'argo-rollouts-v1.9.1-analysis-run.yaml', `${ROLLOUTS}/analysis-run-crd.yaml`,
    'eb1052e728aeb5e46eb1c1202958585eb48edc5ba25b406b7b41c1049009477d', 'argoproj.io', ['AnalysisRun']),
  crd('argo-rollouts', '1.9.1', 'argo-rollouts-v1.9.1-experiment.yaml', `${ROLLOUTS}/experiment-crd.yaml`,
    '419f87b0f6b1b3bfaf0020d71e2b3fe269e232a344e175d123dadceaa17de7ab', 'argoproj.io', ['Experiment']),
  crd('argo-cd', '3.5.1', 'argo-cd-v3.5.1-application.yaml', `${ARGO_CD}/application-crd.yaml`,
    '5dde0e229249b6b707beb98674c1deae3949d5c319a6c45b9f5a80c99618e40c', 'argoproj.io', ['Application']),
  crd('argo-cd', '3.5.1', 'argo-cd-v3.5.1-applicationset.yaml', `${ARGO_CD}/applicationset-crd.yaml`,
    '7d282054f41ca2b71a22bab04a8caf0000e07e53a62432e6ea292dae5ab4f07d', 'argoproj.io', ['ApplicationSet']),
  crd('argo-cd', '3.5.1', 'argo-cd-v3.5.1-appproject.yaml', `${ARGO_CD}/appproject-crd.yaml`,
    'ab225266944322750136f1198d93786e4a79a0e43c8d149abfba44da30a3eac8', 'argoproj.io', ['AppProject']),
];

/** The built-in source with this file name. */
export function builtinSource(fileName: string): SchemaSource {
  const source = BUILTIN_SCHEMA_SOURCES.find((s) => s.fileName === fileName);
  if (!source) throw new Error(`no built-in schema source ${fileName}`);
  return source;
}
