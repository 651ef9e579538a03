import { AutoscalingK8sIo, KedaSh, NetworkingIstioIo, SecurityIstioIo, TelemetryIstioIo } from './imports';
import { CustomKinds } from '../../lib/core/custom-kinds';

// The constants must say exactly what the generated classes (from the vendored CRDs) say.
test('custom kinds match the typed imports', () => {
  expect(CustomKinds.DestinationRule).toEqual({ v1: NetworkingIstioIo.DestinationRule.GVK, v1beta1: NetworkingIstioIo.DestinationRuleV1Beta1.GVK });
  expect(CustomKinds.VirtualService).toEqual({ v1: NetworkingIstioIo.VirtualService.GVK, v1beta1: NetworkingIstioIo.VirtualServiceV1Beta1.GVK });
  expect(CustomKinds.Gateway).toEqual({ v1: NetworkingIstioIo.Gateway.GVK, v1beta1: NetworkingIstioIo.GatewayV1Beta1.GVK });
  expect(CustomKinds.ServiceEntry).toEqual({ v1: NetworkingIstioIo.ServiceEntry.GVK, v1beta1: NetworkingIstioIo.ServiceEntryV1Beta1.GVK });
  expect(CustomKinds.PeerAuthentication).toEqual(SecurityIstioIo.PeerAuthentication.GVK);
  expect(CustomKinds.RequestAuthentication).toEqual(SecurityIstioIo.RequestAuthentication.GVK);
  expect(CustomKinds.AuthorizationPolicy).toEqual(SecurityIstioIo.AuthorizationPolicy.GVK);
  expect(CustomKinds.Telemetry).toEqual(TelemetryIstioIo.Telemetry.GVK);
  expect(CustomKinds.ScaledObject).toEqual(KedaSh.ScaledObject.GVK);
  expect(CustomKinds.TriggerAuthentication).toEqual(KedaSh.TriggerAuthentication.GVK);
  expect(CustomKinds.VerticalPodAutoscaler).toEqual(AutoscalingK8sIo.VerticalPodAutoscaler.GVK);
});
