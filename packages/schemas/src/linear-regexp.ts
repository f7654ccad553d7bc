import { RE2JS } from "re2js";

/**
 * A regular-expression engine for Ajv (`code.regExp`) that matches in linear time: RE2's algorithm
 * in JavaScript (re2js, a port of Google's RE2). Schemas fetched from a registry run their
 * `pattern` and `patternProperties` on it, so `^(a+)+$` against `"aaa…!"` costs microseconds, not
 * an exponential backtrack that blocks the process. The price: RE2 has no backreferences and no
 * lookaround (such a pattern does not compile, and the registration is refused), and it is slower
 * than V8's engine on ordinary patterns, which is why the built-in catalogue and an operator's own
 * schema folders keep V8's. (The native `re2` package would be faster, but it builds from source
 * where its prebuilt binaries cannot be downloaded.)
 */
export function linearRegExp(pattern: string, flags: string): { test(input: string): boolean; toString(): string } {
  const compiled = RE2JS.compile(pattern, flags.includes("i") ? RE2JS.CASE_INSENSITIVE : 0);
  return {
    test: (input) => compiled.test(input),
    // Ajv keeps one compiled pattern per distinct string: this is that string.
    toString: () => `/${pattern}/${flags}`,
  };
}
// Ajv's standalone code names the engine by this; Herald does not emit standalone code.
linearRegExp.code = "linearRegExp";
