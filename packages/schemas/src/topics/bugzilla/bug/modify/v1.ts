import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../define-topic-schema.js";
import { BugzillaBug, BugzillaChange, bugzillaEvent } from "../../_bugzilla.js";

/** bugzilla.bug.modify 1.0 */
export const bugzillaBugModifyV1 = defineTopicSchema({
  name: "bugzilla.bug.modify",
  version: "1.0",
  description:
    "A bug was changed in Bugzilla: the fields, what they held before and after. Bugzilla's messages about private bugs carry no bug and are refused.",
  emittedBy: "Bugzilla, through the stomp or amqp10 bridge (VirtualTopic.eng.bugzilla.bug.modify)",
  schema: Type.Object({
    bug: BugzillaBug,
    event: bugzillaEvent("bug", "modify", { changes: Type.Array(BugzillaChange, { maxItems: 500 }) }),
  }),
  examples: [
    {
      bug: {
        id: 1699203,
        summary: "python-pyramid-1.10.4 is available",
        product: { id: 49, name: "Fedora" },
        component: { id: 102174, name: "python-pyramid" },
        status: { id: 2, name: "ASSIGNED" },
        reporter: { login: "upstream-release-monitoring@example.org" },
        assigned_to: { login: "infra-sig@lists.example.org" },
      },
      event: {
        target: "bug",
        action: "modify",
        routing_key: "bug.modify",
        bug_id: 1699203,
        user: { login: "mhroncok@example.org", real_name: "Miro Hrončok" },
        time: "2019-04-18T17:11:51",
        changes: [{ field: "status", removed: "NEW", added: "ASSIGNED" }],
      },
    },
  ],
  presentation: {
    summary:
      "{{/event/user/login}} changed {{/event/changes/*/field | join}} on bug {{/bug/id}} ({{/bug/product/name}}/{{/bug/component/name}}): {{/bug/summary}}",
    usernames: ["/event/user/login", "/bug/assigned_to/login", "/bug/reporter/login"],
    packages: ["/bug/product/name", "/bug/component/name"],
    icon: "bug",
  },
});
