// The probe's `call` op is the harness's own RPC client, bundled into the probe.
export { call } from '../rpc/index.ts';
