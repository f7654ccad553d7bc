import { type TProperties, Type } from "@sinclair/typebox";

// What Bugzilla sends on Red Hat's message bus (VirtualTopic.eng.bugzilla.*), read by the `stomp`
// and `amqp10` bridges unchanged. Bugzilla adds custom fields (cf_*) freely, so the objects keep
// what they do not name; the schemas require what the presentation and subscribers rely on.

/** A Bugzilla account: its login is an e-mail address. */
export const BugzillaUser = Type.Object({
  login: Type.String({ minLength: 1, maxLength: 255, description: "the account's login (an e-mail address)" }),
  id: Type.Optional(Type.Integer({ minimum: 1 })),
  real_name: Type.Optional(Type.String({ maxLength: 255 })),
});

/** A named value of a bug (product, component, status, version): Bugzilla sends `{id, name}`. */
const Named = (description: string) =>
  Type.Object(
    { id: Type.Optional(Type.Integer()), name: Type.String({ minLength: 1, maxLength: 255 }) },
    { description },
  );

/** The bug a message concerns, as Bugzilla sends it. */
export const BugzillaBug = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  summary: Type.String({ maxLength: 1000 }),
  product: Named("the product the bug is filed against"),
  component: Named("the product's component"),
  status: Named("NEW, ASSIGNED, CLOSED…"),
  reporter: BugzillaUser,
  assigned_to: Type.Optional(BugzillaUser),
  qa_contact: Type.Optional(Type.Union([BugzillaUser, Type.Null()])),
  resolution: Type.Optional(Type.String({ maxLength: 64 })),
  is_private: Type.Optional(Type.Boolean()),
  creation_time: Type.Optional(Type.String({ maxLength: 64 })),
  last_change_time: Type.Optional(Type.String({ maxLength: 64 })),
});

/** One field a modification changed. */
export const BugzillaChange = Type.Object({
  field: Type.String({ minLength: 1, maxLength: 255 }),
  removed: Type.String(),
  added: Type.String(),
});

/** What happened, by whom and when: Bugzilla's `event`. */
export const bugzillaEvent = <T extends TProperties>(target: string, action: string, extra: T = {} as T) =>
  Type.Object({
    target: Type.Literal(target),
    action: Type.Literal(action),
    routing_key: Type.Literal(`${target}.${action}`),
    bug_id: Type.Integer({ minimum: 1 }),
    user: BugzillaUser,
    time: Type.String({ maxLength: 64, description: "when, in the server's time zone (no offset)" }),
    change_set: Type.Optional(Type.String({ maxLength: 255 })),
    ...extra,
  });
