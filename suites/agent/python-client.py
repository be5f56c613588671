"""The independent client: Python's standard xmlrpc.client, as the historic vdsClient used it.

argv: host-as-in-url port ca-file cert-file key-file verify-hostname(1|0).
Prints getVdsCapabilities' status and lastClient as JSON. With verify-hostname 0 the chain is
still verified; only the name check is off, for link-local addresses no certificate names.
"""
import json
import ssl
import sys
import xmlrpc.client

host, port, ca, cert, key, verify_hostname = sys.argv[1:7]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(cafile=ca)
ctx.load_cert_chain(certfile=cert, keyfile=key)
ctx.check_hostname = verify_hostname == "1"
ctx.verify_mode = ssl.CERT_REQUIRED
proxy = xmlrpc.client.ServerProxy(f"https://{host}:{port}/RPC2", context=ctx)
reply = proxy.getVdsCapabilities()
print(json.dumps({"status": reply["status"], "lastClient": reply["info"]["lastClient"]}))
