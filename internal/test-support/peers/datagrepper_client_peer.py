"""The requests Fedora's datagrepper clients make, and what they read from the answers, with
python3-requests as they use it. Each prints one JSON line of what the client would go on with.

fedmsg-dg-replay URL MSG_ID: fedmsg 1.1's fedmsg/commands/replay.py: GET URL/id with params
{id}; a status other than 200 prints "datagrepper request of ... failed" and exits 2; then reads
msg["topic"] (its 4th token is the module name, the rest the topic) and msg["msg"].

fedora-messaging-replay URL ID: fedora-messaging 3.6's cli.py `_get_message` (GET
URL/v2/id?id=ID&is_raw=true, timeout 5, raise_for_status) and message.py `load_message`: the
answer must be an object with `topic` (string) and `body` (object), `id` a string, `queue` a string
or null, `priority` an integer or null, `headers` an object whose `fedora_messaging_severity` is
10/20/30/40 and whose `fedora_messaging_schema` and `sent-at` are strings.

fedmsg-backlog URL THEN NOW TOPIC: fedmsg 1.1's consumers/__init__.py `get_datagrepper_results`:
GET URL (the /raw endpoint) with rows_per_page=100, page, start=THEN, end=NOW, order=asc, first
page 1 then every page 1..pages, keeping raw_messages whose topic starts with TOPIC minus its last
character; then crypto/utils.py `fix_datagrepper_message` drops source_name, source_version, a
null headers and makes an integral float timestamp an int.
"""
import json
import sys

import requests


def fedmsg_dg_replay(url, msg_id):
    resp = requests.get(url + "/id", params={"id": msg_id})
    if resp.status_code != 200:
        print("datagrepper request of %r failed. Status: %r" % (msg_id, resp.status_code))
        sys.exit(2)
    msg = resp.json()
    tokens = msg["topic"].split(".")
    print(json.dumps({"modname": tokens[3], "topic": ".".join(tokens[4:]), "msg": msg["msg"]}))


def fedora_messaging_replay(url, message_id):
    response = requests.get(f"{url}/v2/id?id={message_id}&is_raw=true", timeout=5)
    response.raise_for_status()
    data = response.json()
    problems = []
    if not isinstance(data, dict):
        problems.append("not an object")
        data = {}
    for field, kind in (("topic", str), ("body", dict)):
        if not isinstance(data.get(field), kind):
            problems.append(f"{field} missing or not {kind.__name__}")
    if "id" in data and not isinstance(data["id"], str):
        problems.append("id not a string")
    if "queue" in data and not (data["queue"] is None or isinstance(data["queue"], str)):
        problems.append("queue not a string or null")
    if "priority" in data and not (data["priority"] is None or isinstance(data["priority"], int)):
        problems.append("priority not an integer or null")
    headers = data.get("headers", {})
    if not isinstance(headers, dict):
        problems.append("headers not an object")
        headers = {}
    if "fedora_messaging_severity" in headers and headers["fedora_messaging_severity"] not in (10, 20, 30, 40):
        problems.append("fedora_messaging_severity not 10/20/30/40")
    for name in ("fedora_messaging_schema", "sent-at"):
        if name in headers and not isinstance(headers[name], str):
            problems.append(f"{name} not a string")
    if problems:
        print("ValidationError: " + "; ".join(problems))
        sys.exit(1)
    # What load_message builds, and what api.publish would send.
    print(
        json.dumps(
            {
                "topic": data["topic"],
                "body": data["body"],
                "id": data.get("id"),
                "severity": headers.get("fedora_messaging_severity"),
                "sent-at": headers.get("sent-at"),
                "schema": headers.get("fedora_messaging_schema"),
                "queue": data.get("queue"),
                "priority": data.get("priority"),
            }
        )
    )


def fix_datagrepper_message(message):
    if not ("source_name" in message and "source_version" in message):
        return message
    message = message.copy()
    del message["source_name"]
    del message["source_version"]
    if "headers" in message and not message["headers"]:
        del message["headers"]
    if "timestamp" in message and isinstance(message["timestamp"], float) and message["timestamp"].is_integer():
        message["timestamp"] = int(message["timestamp"])
    return message


def fedmsg_backlog(url, then, now, topic):
    def make_query(page=1):
        return requests.get(
            url, params=dict(rows_per_page=100, page=page, start=then, end=now, order="asc")
        ).json()

    data = make_query()
    found = []
    for page in range(1, data["pages"] + 1):
        data = make_query(page=page)
        for message in data["raw_messages"]:
            if message["topic"].startswith(topic[:-1]):
                message = fix_datagrepper_message(message)
                found.append(
                    {"msg_id": message["msg_id"], "topic": message["topic"], "timestamp": message["timestamp"]}
                )
    print(json.dumps({"pages": data["pages"], "messages": found}))


if __name__ == "__main__":
    if sys.argv[1] == "fedmsg-dg-replay":
        fedmsg_dg_replay(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "fedora-messaging-replay":
        fedora_messaging_replay(sys.argv[2], sys.argv[3])
    else:
        fedmsg_backlog(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
