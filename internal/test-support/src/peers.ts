import { fileURLToPath } from "node:url";
import { type RunningProcess, startProcess } from "./processes.js";

/**
 * Starts a peer that speaks an older bus's format from Python, on the libraries those buses are
 * built on (pyzmq for fedmsg, pika for fedora-messaging; Debian's python3-zmq and python3-pika), or
 * that makes the requests datagrepper's clients make (python3-requests).
 * See `peers/*.py` for the arguments.
 */
export function startPeer(kind: "fedmsg" | "fedora-messaging" | "datagrepper-client", args: string[]): RunningProcess {
  const script = fileURLToPath(new URL(`../peers/${kind.replaceAll("-", "_")}_peer.py`, import.meta.url));
  // Debian's interpreter, which sees Debian's python3-zmq and python3-pika (a pyenv one on PATH would not).
  return startProcess("/usr/bin/python3", ["-u", script, ...args]);
}
