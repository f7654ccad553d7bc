// The `date` meta: `arrow.get(timestamp).humanize()`, in English, as arrow 1.x words it.
const minute = 60;
const hour = 3600;
const day = 86_400;
const week = 7 * day;
const month = 2_629_800;
const year = 31_557_600;

/**
 * How long ago (or how far ahead) `time` is from `now`, as arrow's `humanize()` says it: "just
 * now", "44 seconds ago", "a minute ago", "3 hours ago", "in 2 days". Months are counted as
 * arrow's average month rather than by the calendar.
 */
export function humanize(time: number, now: number): string {
  const delta = Math.round((time - now) / 1000);
  const diff = Math.abs(delta);
  const say = (text: string) => (delta < 0 ? `${text} ago` : `in ${text}`);
  const many = (unit: number, name: string) => say(`${Math.max(Math.floor(diff / unit), 2)} ${name}`);
  if (diff < 10) return "just now";
  if (diff < minute) return say(`${diff} seconds`);
  if (diff < 2 * minute) return say("a minute");
  if (diff < hour) return many(minute, "minutes");
  if (diff < 2 * hour) return say("an hour");
  if (diff < day) return many(hour, "hours");
  if (diff < 2 * day) return say("a day");
  if (diff < week) return many(day, "days");
  if (diff < 2 * week) return say("a week");
  if (diff < month) return many(week, "weeks");
  if (diff < 2 * month) return say("a month");
  if (diff < year) return many(month, "months");
  if (diff < 2 * year) return say("a year");
  return many(365 * day, "years");
}
