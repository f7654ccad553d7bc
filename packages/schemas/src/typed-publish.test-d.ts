// Type-level tests, checked by `npm run typecheck` (tsc): the generated TopicMap types the SDK's publish.
import { type Bus, createBus } from "@herald/sdk";
import { createMemoryTransport } from "@herald/sdk/testing";
import type { TopicMap } from "./index.js";

const bus: Bus<TopicMap> = createBus<TopicMap>({
  transport: createMemoryTransport(),
  prefix: "org.example",
  environment: "test",
});

export async function typedPublishing(): Promise<void> {
  await bus.publish("wiki.article.edit", {
    title: "Main Page",
    user: "bob",
    revision: 42,
    minor: false,
    url: "https://wiki.example.org/x",
  });
  // @ts-expect-error: a misspelt field is a compile error
  await bus.publish("wiki.article.edit", {
    titel: "Main Page",
    user: "bob",
    revision: 42,
    minor: false,
    url: "https://x",
  });
  // @ts-expect-error: a wrong type is a compile error
  await bus.publish("wiki.article.edit", {
    title: "Main Page",
    user: "bob",
    revision: "42",
    minor: false,
    url: "https://x",
  });
  // @ts-expect-error: an unknown topic is a compile error
  await bus.publish("wiki.article.edited", { title: "Main Page" });
}
