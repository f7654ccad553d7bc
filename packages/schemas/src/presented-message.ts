import { type HeraldConfig, type ReceivedMessage, schemaNameOf } from "@herald/sdk";
import { type Presentation, type Presenter, present } from "./presentation.js";

/** A received message with what people see of it: its event name, app and presentation. */
export interface PresentedMessage {
  /** The schema name (`git.receive`), or the full topic when it is outside this prefix. */
  event: string;
  app: string;
  presentation: Presentation;
}

/**
 * Presents a received message under the configured prefix, whatever its environment: a monitor or
 * a bot may watch `prod` and `stg` at once. `presenter` knows the schemas (default: the built-in
 * catalogue's).
 */
export function presentMessage(
  message: ReceivedMessage,
  config: Pick<HeraldConfig, "prefix">,
  presenter?: Presenter,
): PresentedMessage {
  const schemaName = schemaNameOf(message.topic, config.prefix);
  const presentation = (presenter?.present ?? present)(message.envelope, schemaName);
  const event = schemaName ?? message.topic;
  const app = (schemaName ?? message.envelope.source.split("/")[1] ?? "herald").split(".")[0] as string;
  return { event, app, presentation };
}
