"""A fedmsg-format peer for the bridge tests, on pyzmq as fedmsg itself is.

publish ENDPOINT TOPIC JSON_BODY: binds a PUB socket like a fedmsg publisher, waits for
subscribers, sends the message in fedmsg's two frames and prints its msg_id.
publish-raw ENDPOINT TOPIC BODY...: like publish, but sends each BODY's text as it is, in order.
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


if __name__ == "__main__":
    if sys.argv[1] == "publish":
        publish(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "publish-raw":
        publish_raw(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        subscribe(sys.argv[2], int(sys.argv[3]))
