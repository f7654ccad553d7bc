/** Options of {@link createMediaWikiClient}. */
export interface MediaWikiClientOptions {
  /** The wiki's `api.php`. */
  api: string;
  /** A bot password's user name (`Admin@herald`) and password (Special:BotPasswords). */
  username: string;
  password: string;
}

/** What became of a page the client was asked to create. */
export type CreateOutcome = "created" | "exists";

/** The few MediaWiki API calls the consumer makes, over one logged-in session. */
export interface MediaWikiClient {
  /**
   * Creates a page unless it exists (`createonly`): so handling the same message twice leaves
   * the page as the first run made it.
   * @throws Error with the API's error code and text when the wiki refuses.
   */
  createPage(title: string, text: string, summary: string, signal: AbortSignal): Promise<CreateOutcome>;
}

type ApiAnswer = {
  error?: { code: string; info: string };
  login?: { result: string; reason?: string };
  edit?: { result: string };
  query?: { tokens?: Record<string, string> };
};

/**
 * A MediaWiki API client that logs in once with a bot password and keeps its session cookie
 * and edit token, logging in again only when the wiki says the session is gone. Written on
 * fetch rather than with a client library: it needs four API calls, and the libraries on npm
 * pull in far more than that.
 */
export function createMediaWikiClient(options: MediaWikiClientOptions): MediaWikiClient {
  const cookies = new Map<string, string>();
  let editToken: string | undefined;

  const call = async (params: Record<string, string>, signal: AbortSignal): Promise<ApiAnswer> => {
    const body = new URLSearchParams({ ...params, format: "json", formatversion: "2" });
    const response = await fetch(options.api, {
      method: "POST",
      body,
      signal,
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; ") },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ""] = header.split(";");
      const split = pair.indexOf("=");
      if (split > 0) cookies.set(pair.slice(0, split).trim(), pair.slice(split + 1));
    }
    if (!response.ok) throw new Error(`${options.api} answered HTTP ${response.status}`);
    return (await response.json()) as ApiAnswer;
  };

  const logIn = async (signal: AbortSignal) => {
    cookies.clear();
    const tokens = await call({ action: "query", meta: "tokens", type: "login" }, signal);
    const login = await call(
      {
        action: "login",
        lgname: options.username,
        lgpassword: options.password,
        lgtoken: tokens.query?.tokens?.logintoken ?? "",
      },
      signal,
    );
    if (login.login?.result !== "Success")
      throw new Error(
        `login as ${options.username} failed: ${login.login?.reason ?? login.login?.result ?? "no answer"}`,
      );
    const csrf = await call({ action: "query", meta: "tokens" }, signal);
    editToken = csrf.query?.tokens?.csrftoken;
  };

  const edit = async (title: string, text: string, summary: string, signal: AbortSignal) =>
    call(
      { action: "edit", title, text, summary, createonly: "1", assert: "user", bot: "1", token: editToken ?? "" },
      signal,
    );

  return {
    async createPage(title, text, summary, signal) {
      if (editToken === undefined) await logIn(signal);
      let answer = await edit(title, text, summary, signal);
      // The session expired (or the wiki restarted): log in again, once.
      if (answer.error?.code === "assertuserfailed" || answer.error?.code === "badtoken") {
        await logIn(signal);
        answer = await edit(title, text, summary, signal);
      }
      if (answer.error?.code === "articleexists") return "exists";
      if (answer.error !== undefined) throw new Error(`edit ${title}: ${answer.error.code}: ${answer.error.info}`);
      return "created";
    },
  };
}
