import { catalogue, toJsonSchema } from "@herald/schemas";
import { CliError } from "../../cli-error.js";
import { defineCommand } from "../../define-command.js";
import type { CommandIo } from "../../io.js";

/** `herald schema show NAME[@VERSION]`: the JSON Schema of one version (default: the newest). */
export async function runSchemaShow(reference: string, io: CommandIo): Promise<void> {
  const [name, version] = reference.split("@");
  const versions = catalogue.filter((topic) => topic.name === name);
  if (versions.length === 0) throw new CliError("E_USAGE", `no schema ${JSON.stringify(name)}: see herald schema list`);
  const topic =
    version === undefined ? versions[versions.length - 1] : versions.find((candidate) => candidate.version === version);
  if (topic === undefined) {
    throw new CliError(
      "E_USAGE",
      `${name} has no version ${version}; it has ${versions.map((v) => v.version).join(", ")}`,
    );
  }
  io.stdout.write(`${JSON.stringify(toJsonSchema(topic), null, 2)}\n`);
}

/** `herald schema show`: its arguments and flags, beside the function that runs it. */
export const schemaShowCommand = defineCommand({
  configure: (command) => command.argument("<name[@version]>", "e.g. git.receive or git.receive@1.0"),
  action: (io) => (reference) => runSchemaShow(reference, io),
});
