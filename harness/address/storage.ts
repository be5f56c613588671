import { readAddress, readHost, type Addr, type HostName } from './address.ts';
import { fail, isReason, q, type CodedReason } from './reason.ts';

export interface StorageTarget {
  host: Addr | HostName;
  path: string;
}

/**
 * NFS-style `host:/path`. An IPv6 host must be bracketed (`[fd00::5]:/exports`), as mount.nfs
 * and engines expect; without brackets the host/path split is ambiguous, so text with two or
 * more colons before the first ':/' is refused with its own reason. The path must be absolute
 * and is kept as typed: the server, not sixgate, decides what it names.
 */
export function readStorage(s: string): StorageTarget | CodedReason {
  if (s.length === 0) return fail('EMPTY', 'no storage address was given');
  let host: Addr | HostName | CodedReason;
  let pathAt: number;
  if (s.charCodeAt(0) === 91) {
    const close = s.indexOf(']');
    if (close < 0) return fail('SPEC_UNCLOSED_BRACKET', `${q(s)} opens '[' but never closes it`);
    host = readAddress(s, 6, 1, close);
    if (isReason(host)) return host;
    if (s.charCodeAt(close + 1) !== 58) {
      return fail('STORAGE_NO_PATH', `expected ':/path' after ']' in ${q(s)}`);
    }
    pathAt = close + 2;
  } else {
    const split = s.indexOf(':/');
    const hostEnd = split < 0 ? s.length : split;
    let colons = 0;
    for (let i = 0; i < hostEnd; i++) if (s.charCodeAt(i) === 58) colons++;
    if (colons >= 2) {
      return fail(
        'STORAGE_UNBRACKETED_IPV6',
        `${q(s)} looks like an IPv6 address without brackets; write [address]:/path, e.g. [fd00::5]:/exports/data`,
      );
    }
    const first = s.indexOf(':');
    if (first < 0) return fail('STORAGE_NO_PATH', `${q(s)} has no ':/path'; write host:/path`);
    host = readHost(s, 0, first);
    if (isReason(host)) return host;
    pathAt = first + 1;
  }
  if (pathAt >= s.length) return fail('STORAGE_NO_PATH', `${q(s)} has no path after ':'`);
  if (s.charCodeAt(pathAt) !== 47) {
    return fail('STORAGE_PATH_NOT_ABSOLUTE', `path ${q(s.slice(pathAt))} must start with '/'`);
  }
  return { host, path: s.slice(pathAt) };
}
