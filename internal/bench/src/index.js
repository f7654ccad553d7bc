export { floodPublisherScript } from "./flood-publisher-path.js";
