// irc-framework ships no type declarations: these cover the part of its Client this package uses.
declare module "irc-framework" {
  import { EventEmitter } from "node:events";

  export interface ConnectOptions {
    host: string;
    port: number;
    tls?: boolean;
    rejectUnauthorized?: boolean;
    nick: string;
    username?: string;
    gecos?: string;
    account?: { account: string; password: string };
    auto_reconnect?: boolean;
    auto_reconnect_max_wait?: number;
    auto_reconnect_max_retries?: number;
    message_max_length?: number;
  }

  export class Client extends EventEmitter {
    constructor(options?: Partial<ConnectOptions>);
    user: { nick: string };
    connected: boolean;
    connect(options?: ConnectOptions): void;
    say(target: string, message: string): void;
    join(channel: string, key?: string): void;
    changeNick(nick: string): void;
    quit(message?: string): void;
  }
}
