import { Type } from "@sinclair/typebox";
import { defineTopicSchema } from "../../../../define-topic-schema.js";
import { BugzillaBug, bugzillaEvent } from "../../_bugzilla.js";

const reporter = { login: "dgunchev@example.org", id: 156190, real_name: "Doncho Gunchev" };

/** bugzilla.bug.create 1.0 */
export const bugzillaBugCreateV1 = defineTopicSchema({
  name: "bugzilla.bug.create",
  version: "1.0",
  description: "A bug was filed in Bugzilla.",
  emittedBy: "Bugzilla, through the stomp or amqp10 bridge (VirtualTopic.eng.bugzilla.bug.create)",
  schema: Type.Object({ bug: BugzillaBug, event: bugzillaEvent("bug", "create") }),
  examples: [
    {
      bug: {
        id: 1701391,
        summary: "SELinux is preventing touch from 'write' accesses on the file /var/log/shorewall-init.log.",
        product: { id: 49, name: "Fedora" },
        component: { id: 17100, name: "selinux-policy" },
        status: { id: 1, name: "NEW" },
        reporter,
        assigned_to: { login: "lvrabec@example.org", id: 316673, real_name: "Lukas Vrabec" },
        is_private: false,
        creation_time: "2019-04-18T20:27:01",
      },
      event: {
        target: "bug",
        action: "create",
        routing_key: "bug.create",
        bug_id: 1701391,
        user: reporter,
        time: "2019-04-18T20:27:01",
        change_set: "6792.1555619221.41171",
      },
    },
  ],
  presentation: {
    summary:
      "{{/event/user/login}} filed bug {{/bug/id}} against {{/bug/product/name}}/{{/bug/component/name}}: {{/bug/summary}}",
    usernames: ["/event/user/login", "/bug/assigned_to/login"],
    packages: ["/bug/product/name", "/bug/component/name"],
    icon: "bug",
  },
});
