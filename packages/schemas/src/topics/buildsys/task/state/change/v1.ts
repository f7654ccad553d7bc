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
  presentation: {
    summary: "task {{/task_id}} ({{/method}}) of build {{/build_id}}: {{/old}} → {{/new}}",
    usernames: ["/owner"],
    icon: "list-checks",
    severity: {
      default: "info",
      when: [
        {
          pointer: "/new",
          equals: "failed",
          severity: "warning",
        },
      ],
    },
  },
});
