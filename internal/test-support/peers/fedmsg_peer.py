"""A fedmsg-format peer for the bridge tests, on pyzmq as fedmsg itself is.

publish ENDPOINT TOPIC JSON_BODY: binds a PUB socket like a fedmsg publisher, waits for
subscribers, sends the message in fedmsg's two frames and prints its msg_id.
publish-raw ENDPOINT TOPIC BODY...: like publish, but sends each BODY's text as it is, in order.
validate ENDPOINT CA_FILE COUNT: like subscribe, then validates each message's X.509 signature as
fedmsg 1.1's fedmsg/crypto/x509_ng.py validate() does (the certificate chains to CA_FILE, checked
with pyOpenSSL; the RSA PKCS#1 v1.5 SHA-1 signature over fedmsg.encoding.dumps of the message
without signature and certificate, checked with python3-cryptography) and prints
{"valid", "tampered_valid", "message"}; tampered_valid is the same check of a copy whose msg changed.
subscribe ENDPOINT COUNT: connects a SUB socket like a fedmsg consumer and prints each
message it receives (topic frame and decoded body) as a JSON line, COUNT of them.
"""
import datetime
import getpass
import json
import sys
import time
import uuid

import zmq


def publish(endpoint, topic, body):
    socket = zmq.Context.instance().socket(zmq.PUB)
    socket.bind(endpoint)
    time.sleep(1.5)  # fedmsg's own docs: a PUB socket drops what it sends before subscribers connect
    message = {
        "topic": topic,
        "msg": json.loads(body),
        "timestamp": int(time.time()),
        "msg_id": f"{datetime.datetime.now(datetime.timezone.utc).year}-{uuid.uuid4()}",
        "i": 1,
        "username": getpass.getuser(),
    }
    socket.send_multipart([topic.encode("utf-8"), json.dumps(message).encode("utf-8")])
    print(message["msg_id"], flush=True)
    time.sleep(0.5)
    socket.close(linger=1000)


def publish_raw(endpoint, topic, bodies):
    socket = zmq.Context.instance().socket(zmq.PUB)
    socket.bind(endpoint)
    time.sleep(1.5)
    for body in bodies:
        socket.send_multipart([topic.encode("utf-8"), body.encode("utf-8")])
    time.sleep(0.5)
    socket.close(linger=1000)


def subscribe(endpoint, count):
    socket = zmq.Context.instance().socket(zmq.SUB)
    socket.setsockopt(zmq.SUBSCRIBE, b"")
    socket.connect(endpoint)
    print("subscribed", flush=True)
    for _ in range(count):
        topic, body = socket.recv_multipart()  # exactly two frames, as fedmsg expects
        print(json.dumps({"frame": topic.decode("utf-8"), "message": json.loads(body)}), flush=True)


def x509_valid(message, ca_pem):
    import base64
    import copy

    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import asymmetric, hashes
    from OpenSSL.crypto import FILETYPE_PEM, X509Store, X509StoreContext, X509StoreContextError, load_certificate

    for field in ("signature", "certificate"):
        if not isinstance(message.get(field), str):
            return False
    signature = base64.b64decode(message["signature"])
    certificate = base64.b64decode(message["certificate"])
    stripped = copy.deepcopy(message)
    del stripped["signature"]
    del stripped["certificate"]
    store = X509Store()
    store.add_cert(load_certificate(FILETYPE_PEM, ca_pem))
    try:
        X509StoreContext(store, load_certificate(FILETYPE_PEM, certificate)).verify_certificate()
    except X509StoreContextError:
        return False
    try:
        x509.load_pem_x509_certificate(certificate).public_key().verify(
            signature,
            json.dumps(stripped, sort_keys=True, separators=(",", ":")).encode("utf-8"),
            asymmetric.padding.PKCS1v15(),
            hashes.SHA1(),
        )
    except InvalidSignature:
        return False
    return True


def validate(endpoint, ca_file, count):
    with open(ca_file, "rb") as f:
        ca_pem = f.read()
    socket = zmq.Context.instance().socket(zmq.SUB)
    socket.setsockopt(zmq.SUBSCRIBE, b"")
    socket.connect(endpoint)
    print("subscribed", flush=True)
    for _ in range(count):
        _, body = socket.recv_multipart()
        message = json.loads(body)
        tampered = json.loads(body)
        tampered["msg"]["tampered"] = True
        print(
            json.dumps(
                {"valid": x509_valid(message, ca_pem), "tampered_valid": x509_valid(tampered, ca_pem), "message": message}
            ),
            flush=True,
        )


if __name__ == "__main__":
    if sys.argv[1] == "publish":
        publish(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "validate":
        validate(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1] == "publish-raw":
        publish_raw(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        subscribe(sys.argv[2], int(sys.argv[3]))
