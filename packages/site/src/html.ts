/** HTML that is already safe to insert: produced by {@link html} or {@link rawHtml}. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/**
 * A template tag that escapes every interpolated value unless it is already {@link SafeHtml}:
 * schema descriptions and example data reach the pages, and must never become markup. Written
 * here rather than taken from a template engine: this is all the site needs of one.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let text = strings[0] ?? "";
  values.forEach((value, index) => {
    text += render(value) + (strings[index + 1] ?? "");
  });
  return new SafeHtml(text);
}

/** Marks trusted markup (an SVG file from lucide-static, the site's own snippets) as safe. */
export function rawHtml(text: string): SafeHtml {
  return new SafeHtml(text);
}
