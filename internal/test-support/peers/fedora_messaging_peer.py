"""A fedora-messaging-format peer for the bridge tests, on pika as fedora-messaging itself is.

publish URL EXCHANGE TOPIC JSON_BODY USER PACKAGE: publishes with confirms the way
fedora_messaging.api.publish does (JSON body in UTF-8, persistent, its headers) and prints the id.
publish-with URL EXCHANGE TOPIC JSON_BODY PROPERTIES_JSON: publishes with exactly the given
properties (content_encoding, message_id, priority, headers), the body encoded in content_encoding.
consume URL EXCHANGE BINDING COUNT: binds an exclusive queue (declaring EXCHANGE as a topic
exchange unless it is amq.*), prints "ready", then prints each message (routing key, body,
headers, message id, priority, content encoding) as a JSON line, COUNT of them.
"""
import datetime
import json
import sys
import uuid

import pika


def connect(url):
    return pika.BlockingConnection(pika.URLParameters(url))


def publish(url, exchange, topic, body, user, package):
    connection = connect(url)
    channel = connection.channel()
    channel.confirm_delivery()
    message_id = str(uuid.uuid4())
    headers = {
        "fedora_messaging_schema": "base.message",
        "sent-at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "fedora_messaging_severity": 20,
        f"fedora_messaging_user_{user}": True,
        f"fedora_messaging_rpm_{package}": True,
        "priority": 0,
    }
    properties = pika.BasicProperties(
        content_type="application/json",
        content_encoding="utf-8",
        delivery_mode=2,
        headers=headers,
        message_id=message_id,
    )
    channel.basic_publish(exchange, topic, json.dumps(json.loads(body)).encode("utf-8"), properties, mandatory=True)
    print(message_id, flush=True)
    connection.close()


def publish_with(url, exchange, topic, body, properties_json):
    connection = connect(url)
    channel = connection.channel()
    channel.confirm_delivery()
    given = json.loads(properties_json)
    encoding = given.get("content_encoding", "utf-8")
    properties = pika.BasicProperties(
        content_type="application/json",
        content_encoding=encoding,
        delivery_mode=2,
        headers=given.get("headers"),
        message_id=given.get("message_id"),
        priority=given.get("priority"),
    )
    # Python's json keeps integers of any size exactly: the body's text goes out as given.
    channel.basic_publish(exchange, topic, body.encode(encoding), properties, mandatory=True)
    connection.close()


def consume(url, exchange, binding, count):
    connection = connect(url)
    channel = connection.channel()
    if not exchange.startswith("amq."):
        channel.exchange_declare(exchange, exchange_type="topic", durable=True)
    queue = channel.queue_declare("", exclusive=True, auto_delete=True).method.queue
    channel.queue_bind(queue, exchange, routing_key=binding)
    print("ready", flush=True)
    received = 0
    for method, properties, body in channel.consume(queue):
        print(
            json.dumps(
                {
                    "routing_key": method.routing_key,
                    "body": json.loads(body.decode(properties.content_encoding or "utf-8")),
                    "headers": properties.headers,
                    "message_id": properties.message_id,
                    "content_type": properties.content_type,
                    "content_encoding": properties.content_encoding,
                    "priority": properties.priority,
                }
            ),
            flush=True,
        )
        channel.basic_ack(method.delivery_tag)
        received += 1
        if received == count:
            break
    connection.close()


if __name__ == "__main__":
    if sys.argv[1] == "publish":
        publish(*sys.argv[2:8])
    elif sys.argv[1] == "publish-with":
        publish_with(*sys.argv[2:7])
    else:
        consume(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
