import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../../define-topic-schema.js";
import { Username } from "../../../../_fields.js";

const TaskState = Type.Union(
  ["free", "open", "closed", "cancelled", "assigned", "failed"].map((state) => Type.Literal(state)),
);

/** buildsys.task.state.change 1.0 */
export const buildsysTaskStateChangeV1 = defineTopicSchema({
  name: "buildsys.task.state.change",
  version: "1.0",
  description: "A task of a build (one architecture, one step) changed state.",
  emittedBy: "integrations/build (Buildbot receiver)",
  icon: "list-checks",
  schema: Type.Object({
    build_id: Type.String({ minLength: 1, maxLength: 255 }),
    task_id: Type.String({ minLength: 1, maxLength: 255 }),
    method: Type.String({ maxLength: 255, description: "what the task does, e.g. compile, test" }),
    old: TaskState,
    new: TaskState,
    owner: Type.Optional(Username),
  }),
  examples: [
    {
      build_id: "herald-1042",
      task_id: "herald-1042-test",
      method: "test",
      old: "open",
      new: "closed",
      owner: "alice",
    },
  ],
  summary: (data) => `task ${data.task_id} (${data.method}) of build ${data.build_id}: ${data.old} → ${data.new}`,
  usernames: (data) => (data.owner === undefined ? [] : [data.owner]),
  severity: (data) => (data.new === "failed" ? "warning" : "info"),
});
