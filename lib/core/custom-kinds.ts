/**
 * apiVersion/kind of the custom resources emitted as plain ApiObjects. The typed classes in
 * imports/ carry the same constants, but loading a 1 MB generated module at every synth just
 * to read them costs more than the rest of the synth; a test pins these to the imports.
 */
export const CustomKinds = {
  DestinationRule: { v1: { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' }, v1beta1: { apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule' } },
  VirtualService: { v1: { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' }, v1beta1: { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService' } },
  Gateway: { v1: { apiVersion: 'networking.istio.io/v1', kind: 'Gateway' }, v1beta1: { apiVersion: 'networking.istio.io/v1beta1', kind: 'Gateway' } },
  ServiceEntry: { v1: { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry' }, v1beta1: { apiVersion: 'networking.istio.io/v1beta1', kind: 'ServiceEntry' } },
  PeerAuthentication: { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication' },
  RequestAuthentication: { apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication' },
  AuthorizationPolicy: { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' },
  Telemetry: { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry' },
  ScaledObject: { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject' },
  TriggerAuthentication: { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication' },
  VerticalPodAutoscaler: { apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler' },
} as const;
