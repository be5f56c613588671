#!/usr/bin/env python3
"""An independent second opinion on fixtures/validation: each field's value judged by Python's
`ipaddress` module, which shares no code with harness/address.

Reads a JSON array of {"field", "input"} on stdin and writes a JSON object on stdout:
{"python": "3.11.7", "verdicts": [...]}, one verdict per case, in order:
{"valid", "canonical"?, "zone"?, "host"?, "port"?, "path"?, "error"?, "tags": [...]}.

Only the address arithmetic is Python's: `ip_address` decides whether text is an address, its
family, its RFC 5952 text and its zone; `IPv6Network`/`IPv4Network` read prefix lengths and
netmasks; the port rule is urllib.parse's. The thin grammar around them (brackets, `host:/path`,
host names) is written here from docs/address-rules.md, not from the TypeScript.

`tags` name what is notable about an input for the documented differences between sixgate's
strict rules and Python's (suites/validation/oracle.test.ts matches on them); they never change
the verdict.

Python 3.13 semantics on older interpreters (this machine has 3.11):
- str() of an IPv4-mapped address is mixed notation, `::ffff:192.0.2.1` (gh-87799, 3.13);
  3.11 writes `::ffff:c000:201`. Emulated below.
- is_loopback, is_multicast, is_unspecified, is_link_local, is_private and is_global consult
  the embedded IPv4 address of an IPv4-mapped address in 3.13 (gh-117566 and others). The
  gateway rule tests `ipv4_mapped` before any of them, and scope is read from the prefix, so
  no verdict depends on that change.
"""

import ipaddress
import json
import re
import sys

LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z", re.ASCII)
IFNAME = re.compile(r"[A-Za-z0-9_.-]{1,15}\Z", re.ASCII)
HEX_NUMBER = re.compile(r"0[xX][0-9A-Fa-f]*\Z", re.ASCII)
LINK_LOCAL = ipaddress.IPv6Network("fe80::/10")
THIS_NETWORK = ipaddress.IPv4Network("0.0.0.0/8")
DEFAULT_PORT = 54321


class Refused(Exception):
    """The value is invalid for the field; the message says why, in Python's words."""


def text6(address):
    """RFC 5952 text without the zone, as Python 3.13 writes it."""
    plain = ipaddress.IPv6Address(int(address))
    if sys.version_info < (3, 13) and plain.ipv4_mapped is not None:
        return "::ffff:%s" % plain.ipv4_mapped
    return str(plain)


def scoped(address):
    """Link-local unicast, or interface- or link-local multicast (RFC 4007 §6, RFC 4291 §2.7)."""
    value = int(address)
    # By prefix, not is_multicast: 3.13 answers that for the IPv4 inside a mapped address.
    return address in LINK_LOCAL or (value >> 120 == 0xFF and (value >> 112) & 0xF in (1, 2))


def zone_tags(zone, address):
    tags = []
    if not scoped(address):
        tags.append("zone-on-unscoped")
    if not IFNAME.match(zone):
        tags.append("zone-not-an-interface-name")
    elif zone.isdigit() and (zone.startswith("0") or int(zone) > 0xFFFFFFFF):
        tags.append("zone-not-an-index")
    return tags


def read_address(text, family, tags):
    """An IPv4 or IPv6 address as `ipaddress` reads it: (canonical, zone)."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError as err:
        raise Refused(str(err))
    if family and address.version != family:
        raise Refused("IPv%d, not IPv%d" % (address.version, family))
    if address.version == 4:
        return str(address), None
    zone = address.scope_id
    if zone is not None:
        tags.extend(zone_tags(zone, address))
    return text6(address), zone


def read_name(text, tags):
    """RFC 1123 §2.1 labels, at most 253 characters, one trailing dot; RFC 3696 §2: the last
    label is not all digits (so no dotted-decimal text passes as a name)."""
    body = text[:-1] if text.endswith(".") and len(text) > 1 else text
    labels = body.split(".")
    if len(body) > 253 or not all(LABEL.match(label) for label in labels):
        raise Refused("not an RFC 1123 host name")
    if labels[-1].isdigit():
        raise Refused("the last label of a host name is all digits")
    if HEX_NUMBER.match(labels[-1]):
        tags.append("inet-aton-hex-label")
    return text.lower()


def read_host(text, tags):
    """An address (IPv6 bare, with an optional zone) or a host name: (canonical|None, zone, host)."""
    try:
        canonical, zone = read_address(text, 0, tags)
        return canonical, zone, canonical
    except Refused:
        if ":" in text or "%" in text:
            raise
    return None, None, read_name(text, tags)


def read_port(text, tags):
    """urllib.parse's rule: ASCII digits, 0-65535; empty means the default."""
    if text == "":
        tags.append("port-empty")
        return DEFAULT_PORT
    if not (text.isascii() and text.isdigit()):
        raise Refused("port %r is not a number" % text)
    port = int(text)
    if port > 65535:
        raise Refused("port %d is out of range" % port)
    if port == 0:
        tags.append("port-zero")
    if len(text) > 1 and text.startswith("0"):
        tags.append("port-leading-zero")
    return port


def prefix_length(text, network, tags):
    """A prefix length as `IPv6Network`/`IPv4Network` read it after the '/'."""
    try:
        parsed = network("%s/%s" % ("::" if network is ipaddress.IPv6Network else "0.0.0.0", text))
    except ValueError as err:
        raise Refused(str(err))
    if text.isdigit() and len(text) > 1 and text.startswith("0"):
        tags.append("prefix-leading-zero")
    return parsed


def field_ip(text, family, tags):
    canonical, zone = read_address(text, family, tags)
    return {"canonical": canonical, "zone": zone}


def field_gateway(text, tags):
    canonical, zone = read_address(text, 0, tags)
    address = ipaddress.ip_address(canonical)
    # ipv4_mapped first: 3.13 answers the is_* questions below for the embedded IPv4 address.
    if address.version == 6 and address.ipv4_mapped is not None:
        raise Refused("IPv4-mapped")
    if address.is_unspecified or address.is_loopback or address.is_multicast:
        raise Refused("not unicast")
    if address == ipaddress.IPv4Address("255.255.255.255"):
        raise Refused("limited broadcast")
    if address.version == 4 and address in THIS_NETWORK:
        tags.append("this-network")
    return {"canonical": canonical, "zone": zone}


def field_host(text, tags):
    stripped = text.strip()
    if stripped == "":
        raise Refused("empty")
    canonical, zone, host = read_host(stripped, tags)
    return {"canonical": canonical, "zone": zone, "host": host}


def field_prefix(text, tags):
    return {"canonical": str(prefix_length(text, ipaddress.IPv6Network, tags).prefixlen)}


def field_netmask(text, tags):
    parsed = prefix_length(text, ipaddress.IPv4Network, tags)
    if "." in text and str(parsed.netmask) != text:
        tags.append("hostmask")
    return {"canonical": str(parsed.netmask)}


def field_storage(text, tags):
    """`host:/path`, an IPv6 host in brackets; the path absolute and without whitespace."""
    if text.startswith("["):
        close = text.find("]")
        if close < 0 or not text.startswith(":/", close + 1):
            raise Refused("expected [address]:/path")
        canonical, zone = read_address(text[1:close], 6, tags)
        host, path = canonical, text[close + 2 :]
    else:
        split = text.find(":/")
        if split < 0 or ":" in text[:split]:
            raise Refused("expected host:/path, an IPv6 host in brackets")
        canonical, zone, host = read_host(text[:split], tags)
        path = text[split + 1 :]
    if any(ch.isspace() for ch in path):
        raise Refused("whitespace in the path")
    return {"canonical": canonical, "zone": zone, "host": host, "path": path}


def field_endpoint(text, tags):
    """`[v6%zone]:port`, a bare IPv6 literal (two or more colons), or `host:port`."""
    if text.startswith("["):
        close = text.find("]")
        if close < 0:
            raise Refused("unclosed bracket")
        canonical, zone = read_address(text[1:close], 6, tags)
        host, rest = canonical, text[close + 1 :]
        if rest and not rest.startswith(":"):
            raise Refused("text after ]")
        port = read_port(rest[1:], tags) if rest else DEFAULT_PORT
    elif text.count(":") >= 2:
        canonical, zone = read_address(text, 6, tags)
        host, port = canonical, DEFAULT_PORT
    else:
        name, colon, port_text = text.partition(":")
        if name == "":
            raise Refused("no host")
        canonical, zone, host = read_host(name, tags)
        port = read_port(port_text, tags) if colon else DEFAULT_PORT
    return {"canonical": canonical, "zone": zone, "host": host, "port": port}


FIELDS = {
    "ipv4": lambda text, tags: field_ip(text, 4, tags),
    "ipv6": lambda text, tags: field_ip(text, 6, tags),
    "ip": lambda text, tags: field_ip(text, 0, tags),
    "gateway": field_gateway,
    "host": field_host,
    "prefix": field_prefix,
    "netmask": field_netmask,
    "storage": field_storage,
    "endpoint": field_endpoint,
}


def judge(case):
    tags = []
    if any(ch.isspace() for ch in case["input"].strip()):
        tags.append("inner-whitespace")
    try:
        found = FIELDS[case["field"]](case["input"], tags)
    except Refused as err:
        return {"valid": False, "error": str(err), "tags": tags}
    verdict = {"valid": True, "tags": tags}
    verdict.update({k: v for k, v in found.items() if v is not None})
    return verdict


def main():
    cases = json.load(sys.stdin)
    version = "%d.%d.%d" % sys.version_info[:3]
    json.dump({"python": version, "verdicts": [judge(c) for c in cases]}, sys.stdout)


if __name__ == "__main__":
    main()
