// The agent's /etc/vdsm/vdsm.conf, as vdsm reads it.
import type { AgentPaths, AgentSpec } from './contract.ts';

export const AGENT_PATHS: AgentPaths = {
  conf: '/etc/vdsm/vdsm.conf',
  key: '/etc/pki/vdsm/keys/vdsmkey.pem',
  cert: '/etc/pki/vdsm/certs/vdsmcert.pem',
  ca: '/etc/pki/vdsm/certs/cacert.pem',
};

/**
 * management_ip as written to vdsm.conf: `@ula` stands for the host's own ULA and `@tentative`
 * for the address it gets after start, both known only once the run is planned.
 */
export function managementIpOf(
  spec: AgentSpec,
  planned: { ula?: string; tentative?: string },
): string {
  if (spec.managementIp === '@ula') return planned.ula ?? '::1';
  if (spec.managementIp === '@tentative') return planned.tentative ?? '::1';
  return spec.managementIp;
}

export function vdsmConf(spec: AgentSpec, planned: { ula?: string; tentative?: string }): string {
  const ip = managementIpOf(spec, planned);
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
