export * as AutoscalingK8sIo from '../../imports/autoscaling.k8s.io';
export * as KedaSh from '../../imports/keda.sh';
export * as NetworkingIstioIo from '../../imports/networking.istio.io';
export * as SecurityIstioIo from '../../imports/security.istio.io';
export * as TelemetryIstioIo from '../../imports/telemetry.istio.io';
