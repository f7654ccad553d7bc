/**
 * How the message store can fail, on `HeraldError`:
 * - `E_STORE`: its database failed (cannot open, disk full, connection lost); from `@herald/sql`.
 * - `E_QUERY`: a search has a wrong parameter (the message names it); answered 400 by the API.
 */
export type StoreErrorCode = "E_STORE" | "E_QUERY";
