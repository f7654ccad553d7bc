// Client-side search over topics and fields (search-index.json, written by `herald docs build`).
// Hand-written: a few hundred entries need substring matching and a ranking, not a search library.
(() => {
  const root = document.body.dataset.root ?? "";
  const input = document.getElementById("search");
  const results = document.getElementById("search-results");
  if (!input || !results) return;
  let index;
  let active = -1;
  const load = async () => {
    index ??= await (await fetch(`${root}search-index.json`)).json();
    return index;
  };
  const score = (entry, words) => {
    let total = 0;
    for (const word of words) {
      const at = entry.terms.indexOf(word);
      if (at < 0) return 0;
      total += entry.title.toLowerCase().includes(word) ? 3 : 1;
      if (at === 0) total += 1;
    }
    return total - entry.title.length / 1000;
  };
  const render = (found) => {
    results.replaceChildren();
    active = -1;
    if (found.length === 0) {
      const empty = document.createElement("div");
      empty.className = "empty";
      empty.textContent = "No topic or field matches.";
      results.append(empty);
    }
    for (const entry of found) {
      const link = document.createElement("a");
      link.href = root + entry.href;
      link.textContent = entry.title;
      const line = document.createElement("small");
      line.textContent = entry.text;
      link.append(line);
      results.append(link);
    }
    results.hidden = false;
  };
  input.addEventListener("input", async () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) {
      results.hidden = true;
      return;
    }
    const entries = await load();
    const found = entries
      .map((entry) => [score(entry, words), entry])
      .filter(([points]) => points > 0)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 12)
      .map(([, entry]) => entry);
    render(found);
  });
  input.addEventListener("keydown", (event) => {
    const links = [...results.querySelectorAll("a")];
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      active = Math.max(0, Math.min(links.length - 1, active + (event.key === "ArrowDown" ? 1 : -1)));
      for (const [index, link] of links.entries()) link.classList.toggle("active", index === active);
    } else if (event.key === "Enter" && links.length > 0) {
      window.location.href = (links[active] ?? links[0]).href;
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest(".search")) results.hidden = true;
  });
})();
