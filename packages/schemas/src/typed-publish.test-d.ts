// Type-level tests, checked by `npm run typecheck` (tsc): the generated TopicMap types the SDK's publish.
import { type Bus, createBus } from "@herald/sdk";
import { createMemoryTransport } from "@herald/sdk/testing";
import type { TopicMap } from "./index.js";

const bus: Bus<TopicMap> = createBus<TopicMap>({
  schemas: "none",
  transport: createMemoryTransport(),
  prefix: "org.example",
  environment: "test",
});
const url = "https://wiki.example.org/x";
const edit = { title: "Main Page", user: "bob", revision: 42, minor: false, url };
const misspelt = { titel: "Main Page", user: "bob", revision: 42, minor: false, url };
const wrongType = { title: "Main Page", user: "bob", revision: "42", minor: false, url };

export async function typedPublishing(): Promise<void> {
  await bus.publish("wiki.article.edit", edit);
  // @ts-expect-error: a misspelt field is a compile error
  await bus.publish("wiki.article.edit", misspelt);
  // @ts-expect-error: a wrong type is a compile error
  await bus.publish("wiki.article.edit", wrongType);
  // @ts-expect-error: an unknown topic is a compile error
  await bus.publish("wiki.article.edited", edit);
  // A major named outright, as a publisher moving between majors does.
  await bus.publish("wiki.article.edit@1", edit);
  // @ts-expect-error: a major that does not exist is a compile error
  await bus.publish("wiki.article.edit@9", edit);
}

export async function typedReceiving(): Promise<void> {
  for await (const message of await bus.subscribe({ events: ["wiki.article.edit", "git.tag.create"] })) {
    if (message.event === "wiki.article.edit") {
      const revision: number = message.data.revision;
      // @ts-expect-error: a wiki.article.edit has no tag
      message.data.tag;
      void revision;
    } else {
      const tag: string = message.data.tag;
      void tag;
    }
  }
  // @ts-expect-error: an unknown event is a compile error
  await bus.subscribe({ events: ["wiki.article.edited"] });
  await bus.consume({ events: ["account.user.create"] }, async (message) => {
    const username: string = message.data.username;
    void username;
  });
  // Patterns stay untyped.
  for await (const message of await bus.subscribe(["org.example.#"])) void message.envelope.data;
}

// Every bus chooses its schemas: a registry, or "none" written out.
// @ts-expect-error schemas is required
createBus({ transport: createMemoryTransport() });
