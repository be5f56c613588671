// vdsm.conf, validated strictly: an agent that silently falls back to a default address would
// hide exactly the misconfigurations the matrix is meant to find.
import { existsSync, readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { AgentConfigError } from './errors.ts';

export interface AgentConfig {
  /** An IP literal: unspecified (`0.0.0.0`, `::`), or an address, link-local with its zone. */
  managementIp: string;
  managementPort: number;
  /** `[vars] ssl_verify_client`: require a client certificate from the CA (mutual TLS). */
  verifyClient: boolean;
}

type Ini = Map<string, Map<string, string>>;

function parseIni(file: string, text: string): Ini {
  const out: Ini = new Map();
  let section: Map<string, string> | undefined;
  text.split(/\r?\n/).forEach((raw, n) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = out.get(header[1] as string) ?? new Map();
      out.set(header[1] as string, section);
      return;
    }
    const kv = /^([\w.-]+)\s*[=:]\s*(.*)$/.exec(line);
    if (!kv || !section)
      throw new AgentConfigError(file, `line ${n + 1}`, `is not 'key = value' inside a [section]`);
    section.set(kv[1] as string, (kv[2] as string).trim());
  });
  return out;
}

function bool(file: string, key: string, value: string | undefined, dflt: boolean): boolean {
  if (value === undefined) return dflt;
  if (/^(true|yes|1)$/i.test(value)) return true;
  if (/^(false|no|0)$/i.test(value)) return false;
  throw new AgentConfigError(file, key, `must be true or false, got '${value}'`);
}

function managementIp(file: string, value: string): string {
  const key = '[addresses] management_ip';
  const [addr = '', zone, ...more] = value.split('%');
  if (isIPv4(value)) return value;
  if (!isIPv6(addr) || more.length > 0) {
    throw new AgentConfigError(
      file,
      key,
      `must be an IP literal without brackets (e.g. ::, 0.0.0.0, fd00::5, fe80::5%eth0), got '${value}'`,
    );
  }
  if (zone !== undefined) {
    if (!/^fe[89ab]/i.test(addr))
      throw new AgentConfigError(
        file,
        key,
        `may carry a zone only on a link-local address, got '${value}'`,
      );
    if (zone === '') throw new AgentConfigError(file, key, `has an empty zone in '${value}'`);
  } else if (/^fe[89ab]/i.test(addr)) {
    throw new AgentConfigError(
      file,
      key,
      `is link-local and needs a zone (e.g. ${addr}%eth0), got '${value}'`,
    );
  }
  return value;
}

function port(file: string, value: string): number {
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 65535)) {
    throw new AgentConfigError(
      file,
      '[addresses] management_port',
      `must be an integer 1-65535, got '${value}'`,
    );
  }
  return n;
}

export function parseAgentConfig(file: string, text: string): AgentConfig {
  const ini = parseIni(file, text);
  const vars = ini.get('vars') ?? new Map<string, string>();
  const addresses = ini.get('addresses') ?? new Map<string, string>();
  if (!bool(file, '[vars] ssl', vars.get('ssl'), true)) {
    throw new AgentConfigError(
      file,
      '[vars] ssl',
      'must be true: the reference agent speaks only TLS',
    );
  }
  return {
    managementIp: managementIp(file, addresses.get('management_ip') ?? '0.0.0.0'),
    managementPort: port(file, addresses.get('management_port') ?? '54321'),
    // The historic agent required client certificates, so mutual TLS is the default.
    verifyClient: bool(file, '[vars] ssl_verify_client', vars.get('ssl_verify_client'), true),
  };
}

/** A missing file means all defaults, as with vdsm. */
export function loadAgentConfig(file: string): AgentConfig {
  return parseAgentConfig(file, existsSync(file) ? readFileSync(file, 'utf8') : '');
}

export function renderAgentConfig(config: Partial<AgentConfig>): string {
  const lines = ['[vars]', 'ssl = true'];
  if (config.verifyClient !== undefined) lines.push(`ssl_verify_client = ${config.verifyClient}`);
  lines.push('', '[addresses]');
  if (config.managementIp !== undefined) lines.push(`management_ip = ${config.managementIp}`);
  if (config.managementPort !== undefined) lines.push(`management_port = ${config.managementPort}`);
  return `${lines.join('\n')}\n`;
}
