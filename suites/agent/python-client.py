"""The independent client: Python's standard xmlrpc.client, as the historic vdsClient used it.

argv: port ca-file cert-file key-file. Prints getVdsCapabilities' status and lastClient as JSON.
"""
import json
import ssl
import sys
import xmlrpc.client

port, ca, cert, key = sys.argv[1:5]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(cafile=ca)
ctx.load_cert_chain(certfile=cert, keyfile=key)
proxy = xmlrpc.client.ServerProxy(f"https://[::1]:{port}/RPC2", context=ctx)
reply = proxy.getVdsCapabilities()
print(json.dumps({"status": reply["status"], "lastClient": reply["info"]["lastClient"]}))
