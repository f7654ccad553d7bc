import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** A CA, a server certificate for localhost, and a client certificate, made with openssl. */
export interface TestCertificates {
  ca: string;
  serverCert: string;
  serverKey: string;
  /** CN = the client's name, what SASL EXTERNAL logs in as. */
  clientCert: string;
  clientKey: string;
}

/** Makes a CA and the certificates it signs in `dir` (about a second). */
export function makeTestCertificates(dir: string, clientName: string): TestCertificates {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore", cwd: dir });
  openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=Herald test CA",
    "-keyout",
    file("ca.key"),
    "-out",
    file("ca.pem"),
  );
  writeFileSync(file("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  for (const [name, subject, extensions] of [
    ["server", "/CN=localhost", ["-extfile", file("server.ext")]],
    ["client", `/CN=${clientName}`, []],
  ] as const) {
    openssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      subject,
      "-keyout",
      file(`${name}.key`),
      "-out",
      file(`${name}.csr`),
    );
    openssl(
      "x509",
      "-req",
      "-in",
      file(`${name}.csr`),
      "-CA",
      file("ca.pem"),
      "-CAkey",
      file("ca.key"),
      "-CAcreateserial",
      "-days",
      "2",
      "-out",
      file(`${name}.pem`),
      ...extensions,
    );
  }
  return {
    ca: file("ca.pem"),
    serverCert: file("server.pem"),
    serverKey: file("server.key"),
    clientCert: file("client.pem"),
    clientKey: file("client.key"),
  };
}
