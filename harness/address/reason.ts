import type { Reason } from './contract.ts';

/**
 * Every reason code a verdict can carry. Stable: scripts and the corpus match on them, and a
 * later engine adapter maps an engine's own error texts onto these.
 */
export type ReasonCode =
  | 'OK'
  | 'EMPTY'
  | 'WHITESPACE'
  | 'WRONG_FAMILY'
  | 'IPV4_PART_COUNT'
  | 'IPV4_EMPTY_PART'
  | 'IPV4_NOT_DECIMAL'
  | 'IPV4_LEADING_ZERO'
  | 'IPV4_OCTET_RANGE'
  | 'IPV6_BRACKETS'
  | 'IPV6_BAD_CHAR'
  | 'IPV6_EMPTY_GROUP'
  | 'IPV6_GROUP_TOO_LONG'
  | 'IPV6_TOO_MANY_GROUPS'
  | 'IPV6_TOO_FEW_GROUPS'
  | 'IPV6_MULTIPLE_DOUBLE_COLON'
  | 'IPV6_BAD_IPV4_SUFFIX'
  | 'ZONE_EMPTY'
  | 'ZONE_BAD_CHAR'
  | 'ZONE_TOO_LONG'
  | 'ZONE_BAD_INDEX'
  | 'ZONE_ON_UNSCOPED'
  | 'ZONE_ON_IPV4'
  | 'NAME_TOO_LONG'
  | 'NAME_EMPTY_LABEL'
  | 'NAME_LABEL_TOO_LONG'
  | 'NAME_BAD_CHAR'
  | 'NAME_HYPHEN'
  | 'PREFIX_NOT_DECIMAL'
  | 'PREFIX_LEADING_ZERO'
  | 'PREFIX_RANGE'
  | 'NETMASK_NOT_CONTIGUOUS'
  | 'GATEWAY_UNSPECIFIED'
  | 'GATEWAY_MULTICAST'
  | 'GATEWAY_LOOPBACK'
  | 'GATEWAY_BROADCAST'
  | 'GATEWAY_IPV4_MAPPED'
  | 'STORAGE_NO_PATH'
  | 'STORAGE_PATH_NOT_ABSOLUTE'
  | 'STORAGE_UNBRACKETED_IPV6'
  | 'SPEC_UNCLOSED_BRACKET'
  | 'SPEC_BRACKETED_NOT_IPV6'
  | 'SPEC_TRAILING_TEXT'
  | 'SPEC_EMPTY_HOST'
  | 'PORT_EMPTY'
  | 'PORT_NOT_DECIMAL'
  | 'PORT_LEADING_ZERO'
  | 'PORT_RANGE';

export interface CodedReason extends Reason {
  code: ReasonCode;
}

export function fail(code: ReasonCode, message: string): CodedReason {
  return { code, message };
}

/** Reason objects are results, not errors: telling them apart from parsed values. */
export function isReason(value: object): value is CodedReason {
  return 'code' in value;
}

/** Quote user text in messages so spaces and empty strings stay visible. */
export function q(text: string): string {
  return JSON.stringify(text);
}
