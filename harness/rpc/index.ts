export { call, DEFAULT_CALL_TIMEOUT_MS } from './client.ts';
export type {
  CallOutcome,
  CallRequest,
  FailureClass,
  FailurePhase,
  TlsMaterial,
} from './contract.ts';
export {
  parseCall,
  parseResponse,
  serializeCall,
  serializeFault,
  serializeResponse,
  serializeValue,
} from './codec.ts';
export type { MethodResponse, XmlRpcFault, XmlRpcValue } from './codec.ts';
export { XmlRpcWireError } from './errors.ts';
export { interfaceOf, zoneInterface } from './interfaces.ts';
