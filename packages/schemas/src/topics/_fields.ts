import { Type } from "@sinclair/typebox";

// Field types several topics share, so the same thing is described and bounded the same way.

/** A username on the project's systems, described for the field it fills. */
export const usernameField = (description = "a username") => Type.String({ minLength: 1, maxLength: 255, description });

/** A username on the project's systems. */
export const Username = usernameField();

/** A git object name: 40 (SHA-1) or 64 (SHA-256) hexadecimal digits. */
export const GitRev = Type.String({ pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$", description: "a full git object name" });

/** A repository name as the git server knows it. */
export const RepoName = Type.String({ minLength: 1, maxLength: 255, description: "the repository's name" });

/** A branch or tag name without `refs/heads/` or `refs/tags/`. */
export const RefName = Type.String({ minLength: 1, maxLength: 255 });

/** An http(s) URL. */
export const Url = Type.String({ format: "uri", pattern: "^https?://", maxLength: 2048 });

/** A path inside a tree (mirror, repository), relative, with `/` separators. */
export const TreePath = Type.String({ minLength: 1, maxLength: 4096 });

/** An RFC 3339 date-time. */
export const DateTime = Type.String({ format: "date-time" });

/** A non-negative whole number. */
export const Count = Type.Integer({ minimum: 0 });
