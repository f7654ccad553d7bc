// The live bus monitor: a WebSocket to `herald gateway` (/stream), a virtualized list redrawn at
// most once per animation frame, a messages-per-second chart per app, filters applied by the
// gateway. Hand-written, no framework: it must stay responsive at 1,000 messages a second.
(() => {
  const rowHeight = 34;
  const keep = 20000; // messages kept in memory; older ones fall off the end
  const chartSeconds = 60;
  const palette = ["#1d5fb8", "#d97706", "#15803d", "#b91c1c", "#7c3aed", "#0e7490", "#be185d", "#4d7c0f"];

  const stream = document.getElementById("stream");
  const spacer = document.getElementById("spacer");
  const detail = document.getElementById("detail");
  const status = document.getElementById("status");
  const pause = document.getElementById("pause");
  const form = document.getElementById("filters");
  const canvas = document.getElementById("rate");
  const legend = document.getElementById("legend");

  let messages = []; // newest first
  let held = []; // arrived while paused
  let paused = false;
  let selectedId = null;
  let dirty = true;
  let socket;
  let connected = false;
  let everConnected = false;
  let dropped = 0;
  let received = 0;
  const rowPool = [];
  const perSecond = new Map(); // app -> counts of the last `chartSeconds` seconds
  let chartSecond = Math.floor(Date.now() / 1000);
  const colors = new Map();

  const colorOf = (app) => {
    if (!colors.has(app)) colors.set(app, palette[colors.size % palette.length]);
    return colors.get(app);
  };

  const badge = (outcome) =>
    outcome === "valid" ? ["ok", "verified"] : outcome === "unsigned" ? ["warn", "unsigned"] : ["bad", outcome];

  // Rows are reused: only the visible ones exist, whatever the number of messages.
  const makeRow = () => {
    const row = document.createElement("div");
    row.className = "row";
    row.tabIndex = 0;
    row.setAttribute("role", "button");
    row.innerHTML =
      '<svg class="icon"><use href=""></use></svg><time></time><span class="topic"></span><span class="badge"></span><span class="signer"></span><span class="summary"></span>';
    const select = () => {
      selectedId = row.dataset.id;
      showDetail(messages.find((message) => message.id === selectedId));
      dirty = true;
    };
    row.addEventListener("click", select);
    row.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        select();
      }
    });
    stream.append(row);
    return row;
  };

  const fillRow = (row, message, index) => {
    row.style.top = `${index * rowHeight}px`;
    row.dataset.id = message.id;
    row.classList.toggle("selected", message.id === selectedId);
    const [icon, time, topic, mark, signer, summary] = row.children;
    icon.firstChild.setAttribute("href", `#icon-${message.icon}`);
    icon.style.color = colorOf(message.app);
    time.textContent = message.time.slice(11, 23);
    topic.textContent = message.event;
    topic.title = message.topic;
    const [kind, label] = badge(message.outcome);
    mark.className = `badge ${kind}`;
    mark.textContent = label;
    signer.textContent = message.signer ?? "";
    summary.textContent = message.summary;
  };

  const render = () => {
    if (!dirty) return;
    dirty = false;
    spacer.style.height = `${messages.length * rowHeight}px`;
    const first = Math.max(0, Math.floor(stream.scrollTop / rowHeight) - 5);
    const count = Math.min(messages.length - first, Math.ceil(stream.clientHeight / rowHeight) + 10);
    while (rowPool.length < count) rowPool.push(makeRow());
    for (let index = 0; index < rowPool.length; index++) {
      const row = rowPool[index];
      if (index < count) {
        row.style.display = "";
        fillRow(row, messages[first + index], first + index);
      } else row.style.display = "none";
    }
  };

  const showDetail = (message) => {
    if (message === undefined) return;
    const [kind, label] = badge(message.outcome);
    detail.replaceChildren();
    const title = document.createElement("h3");
    title.textContent = message.summary;
    const meta = document.createElement("p");
    meta.innerHTML = `<span class="badge ${kind}"></span> <code></code>`;
    meta.children[0].textContent = label;
    meta.children[1].textContent = message.topic;
    detail.append(title, meta);
    // Only web links become clickable, whatever a gateway sends: never javascript: or data:.
    if (typeof message.link === "string" && /^https?:\/\//i.test(message.link)) {
      const link = document.createElement("a");
      link.href = message.link;
      link.textContent = message.link;
      link.rel = "noopener";
      detail.append(link);
    }
    const json = document.createElement("pre");
    json.textContent = JSON.stringify(message.envelope, null, 2);
    detail.append(json);
  };

  const countRate = (items) => {
    for (const item of items) {
      let counts = perSecond.get(item.app);
      if (!counts) {
        counts = new Array(chartSeconds).fill(0);
        perSecond.set(item.app, counts);
      }
      counts[chartSeconds - 1]++;
    }
  };

  const shiftChart = () => {
    const now = Math.floor(Date.now() / 1000);
    const steps = Math.min(chartSeconds, now - chartSecond);
    if (steps <= 0) return;
    chartSecond = now;
    for (const counts of perSecond.values()) {
      counts.splice(0, steps);
      for (let step = 0; step < steps; step++) counts.push(0);
    }
    drawChart();
  };

  const drawChart = () => {
    const context = canvas.getContext("2d");
    const width = canvas.width;
    const height = canvas.height;
    context.clearRect(0, 0, width, height);
    let top = 1;
    for (const counts of perSecond.values()) top = Math.max(top, ...counts.slice(0, -1));
    context.strokeStyle = "#d9dee5";
    context.beginPath();
    context.moveTo(0, height - 0.5);
    context.lineTo(width, height - 0.5);
    context.stroke();
    legend.replaceChildren();
    for (const [app, counts] of perSecond) {
      const color = colorOf(app);
      context.strokeStyle = color;
      context.lineWidth = 2;
      context.beginPath();
      // The current second is still filling up: draw the complete ones.
      counts.slice(0, -1).forEach((count, index) => {
        const x = (index / (chartSeconds - 2)) * width;
        const y = height - 4 - (count / top) * (height - 12);
        if (index === 0) context.moveTo(x, y);
        else context.lineTo(x, y);
      });
      context.stroke();
      const entry = document.createElement("div");
      entry.innerHTML = "<span></span>";
      entry.firstChild.style.background = color;
      entry.append(`${app} ${counts[chartSeconds - 2]}/s`);
      legend.append(entry);
    }
  };

  const showStatus = () => {
    if (!connected && !everConnected && socket?.readyState === WebSocket.CLOSED) {
      status.textContent = "no gateway here: open this page through herald gateway to watch the bus";
      return;
    }
    const parts = [connected ? "live" : "reconnecting…", `${received.toLocaleString()} received`];
    if (paused) parts.push(`paused, ${held.length.toLocaleString()} waiting`);
    if (dropped > 0) parts.push(`${dropped.toLocaleString()} dropped (too slow)`);
    status.textContent = parts.join(" · ");
  };

  const take = (items) => {
    received += items.length;
    countRate(items);
    if (paused) {
      held.push(...items);
      if (held.length > keep) held = held.slice(-keep);
      return;
    }
    messages = items.reverse().concat(messages);
    if (messages.length > keep) messages.length = keep;
    dirty = true;
  };

  const frame = () => {
    render();
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  setInterval(() => {
    shiftChart();
    showStatus();
  }, 1000);
  stream.addEventListener("scroll", () => {
    dirty = true;
  });

  const filters = () => {
    const data = new FormData(form);
    const list = (key) =>
      String(data.get(key) ?? "")
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean);
    return { type: "filter", topics: list("topics"), apps: list("apps"), users: list("users") };
  };

  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/stream`);
    socket.addEventListener("open", () => {
      connected = true;
      everConnected = true;
      socket.send(JSON.stringify(filters()));
      showStatus();
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "messages") take(message.items);
      else if (message.type === "dropped") dropped += message.count;
      // The gateway's answer to a filter: from here on only what it lets through arrives.
      else if (message.type === "hello") form.dataset.applied = JSON.stringify(message.filters);
      else if (message.type === "error") status.textContent = `filter refused: ${message.message}`;
    });
    socket.addEventListener("close", () => {
      connected = false;
      // Served without a gateway (herald docs serve): showStatus says so; try again less often.
      showStatus();
      setTimeout(connect, everConnected ? 1000 : 5000);
    });
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    messages = [];
    held = [];
    dirty = true;
    delete form.dataset.applied;
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(filters()));
  });

  pause.addEventListener("click", () => {
    paused = !paused;
    pause.setAttribute("aria-pressed", String(paused));
    pause.textContent = paused ? "Resume" : "Pause";
    if (!paused && held.length > 0) {
      const waiting = held;
      held = [];
      messages = waiting.reverse().concat(messages);
      if (messages.length > keep) messages.length = keep;
      dirty = true;
    }
    showStatus();
  });

  if (location.protocol === "file:") status.textContent = "open this page through herald gateway to see the bus";
  else connect();
})();
