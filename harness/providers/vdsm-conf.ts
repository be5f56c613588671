// The agent's /etc/vdsm/vdsm.conf, as vdsm reads it.
import type { AgentPaths, AgentSpec } from './contract.ts';

export const AGENT_PATHS: AgentPaths = {
  conf: '/etc/vdsm/vdsm.conf',
  key: '/etc/pki/vdsm/keys/vdsmkey.pem',
  cert: '/etc/pki/vdsm/certs/vdsmcert.pem',
  ca: '/etc/pki/vdsm/certs/cacert.pem',
};

/** `@ula` in management_ip stands for the host's own ULA, known only once the run is planned. */
export function vdsmConf(spec: AgentSpec, ula: string | undefined): string {
  const ip = spec.managementIp === '@ula' ? (ula ?? '::1') : spec.managementIp;
  return [
    '[vars]',
    'ssl = true',
    `ssl_verify_client = ${spec.mutualTls}`,
    '',
    '[addresses]',
    `management_ip = ${ip}`,
    `management_port = ${spec.managementPort}`,
    '',
  ].join('\n');
}
