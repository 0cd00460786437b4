// The operator dashboard: polls /api/overview and renders tables and one chart per data centre.
// Plain DOM and Chart.js, no build step; text goes in with textContent, never as HTML.
"use strict";

const REFRESH_MS = 15000;
const charts = new Map();

function cell(row, text, cls) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "–" : String(text);
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

function num(v, digits) {
  return v === null || v === undefined ? "–" : Number(v).toFixed(digits);
}

function time(iso) {
  return iso ? iso.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC") : "–";
}

let displayCurrency = "USD";

// One currency for every row, so sites compare at a glance; the original follows when it differs.
function price(display, original, currency) {
  if (original === null || original === undefined) return "–";
  const own = num(original, 2) + " " + currency;
  if (display === null || display === undefined || currency === displayCurrency) return own;
  return num(display, 2) + " " + displayCurrency + " (" + own + ")";
}

function fill(id, items, render) {
  const body = document.querySelector("#" + id + " tbody");
  body.replaceChildren();
  for (const item of items) {
    const row = document.createElement("tr");
    render(row, item);
    body.appendChild(row);
  }
  if (items.length === 0) {
    const row = document.createElement("tr");
    const td = cell(row, "none");
    td.colSpan = document.querySelectorAll("#" + id + " th").length;
    body.appendChild(row);
  }
}

function dataCentre(row, dc) {
  cell(row, dc.name);
  cell(row, dc.zone);
  cell(row, num(dc.carbonGPerKwh, 0), "num");
  cell(row, price(dc.displayPricePerMwh, dc.pricePerMwh, dc.currency), "num");
  cell(row, dc.tariffPeriod || "–");
  cell(row, dc.measuredKw === null ? "–" : num(dc.measuredKw, 1) + (dc.powerEstimated ? " (est.)" : ""), "num");
  cell(row, dc.gpusInUse + " / " + dc.gpus, "num");
  const s = cell(row, dc.degraded ? "degraded: " + dc.degradedReason : "ok");
  if (dc.degraded) s.className = "degraded";
}

function job(row, j) {
  cell(row, j.id + " " + j.name);
  cell(row, j.team);
  cell(row, j.state);
  cell(row, j.gpus, "num");
  cell(row, j.dataCenter || "–");
  cell(row, time(j.plannedStart));
  cell(row, time(j.deadline));
  cell(row, j.reason);
}

function gridEvent(row, e) {
  cell(row, e.id);
  cell(row, e.kind);
  cell(row, e.target);
  cell(row, e.status);
  cell(row, time(e.start));
  cell(row, time(e.end));
  cell(row, num(e.committedKw, 1), "num");
  cell(row, e.status === "active" || e.status === "completed" ? num(e.baselineKw, 1) : "–", "num");
  const d = cell(row, e.status === "active" || e.status === "completed" ? num(e.deliveredKw, 1) : "–", "num");
  if (e.status === "completed" && e.deliveredKw < e.committedKw) d.classList.add("short");
  cell(row, e.reason || "–");
}

// Grid-event windows as shaded bands behind the lines: red for shaving or caps, green for absorbing.
const eventBands = {
  id: "eventBands",
  beforeDatasetsDraw(c) {
    const windows = c.config.options.plugins.eventBands.windows || [];
    const { ctx, chartArea, scales } = c;
    ctx.save();
    for (const w of windows) {
      const x0 = Math.max(scales.x.getPixelForValue(w.from), chartArea.left);
      const x1 = Math.min(scales.x.getPixelForValue(w.to), chartArea.right);
      if (x1 <= x0) continue;
      ctx.fillStyle = w.kind === "valley_filling" ? "rgba(42,157,58,0.12)" : "rgba(200,40,40,0.12)";
      ctx.fillRect(x0, chartArea.top, x1 - x0, chartArea.bottom - chartArea.top);
      ctx.fillStyle = "#555";
      ctx.font = "11px sans-serif";
      ctx.fillText(w.id, x0 + 3, chartArea.top + 12);
    }
    ctx.restore();
  },
};

// Past points solid, from now on dashed: Chart.js segment styling on the "future" side of hour 0.
const dashedAfterNow = (ctx) => (ctx.p1.parsed.x > 0 ? [6, 4] : undefined);

function datasets(s) {
  const points = (ys) => s.hours.map((h, i) => ({ x: h, y: ys[i] }));
  return [
    { label: "measured kW", data: points(s.measuredKw), borderColor: "#1f5fbf", yAxisID: "kw", spanGaps: false },
    { label: "planned kW", data: points(s.plannedKw), borderColor: "#7aa6e8", yAxisID: "kw",
      segment: { borderDash: () => [6, 4] } },
    { label: "carbon g/kWh", data: points(s.carbonGPerKwh), borderColor: "#2a9d3a", yAxisID: "carbon",
      segment: { borderDash: dashedAfterNow } },
    { label: "price " + displayCurrency + "/MWh" + (s.currency && s.currency !== displayCurrency
      ? " (from " + s.currency + ")" : ""), data: points(s.displayPricePerMwh),
      borderColor: "#c77d00", yAxisID: "price", segment: { borderDash: dashedAfterNow } },
  ];
}

function chart(dc) {
  let entry = charts.get(dc.name);
  if (!entry) {
    const box = document.createElement("div");
    box.className = "chart";
    const title = document.createElement("h3");
    title.textContent = dc.name + " (" + dc.zone + ")";
    const canvas = document.createElement("canvas");
    canvas.id = "chart-" + dc.name;
    canvas.dataset.gridEvents = dc.series.gridEvents.map((w) => w.id).join(" ");
    box.append(title, canvas);
    document.getElementById("charts").appendChild(box);
    const c = new Chart(canvas, {
      type: "line",
      data: { datasets: datasets(dc.series) },
      plugins: [eventBands],
      options: {
        plugins: { eventBands: { windows: dc.series.gridEvents } },
        animation: false, maintainAspectRatio: false, pointRadius: 0, borderWidth: 1.5,
        elements: { point: { radius: 0 } },
        scales: {
          x: { type: "linear", min: -24, max: 24, title: { display: true, text: "hours from now" } },
          kw: { position: "left", beginAtZero: true, title: { display: true, text: "kW" } },
          carbon: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false },
            title: { display: true, text: "g/kWh" } },
          price: { position: "right", grid: { drawOnChartArea: false },
            title: { display: true, text: displayCurrency + "/MWh" } },
        },
      },
    });
    entry = { chart: c };
    charts.set(dc.name, entry);
  } else {
    entry.chart.data.datasets = datasets(dc.series);
    entry.chart.options.plugins.eventBands.windows = dc.series.gridEvents;
    entry.chart.update();
  }
}

// With auth on, the overview needs an operator token: open the dashboard once as /#token=<token>;
// the token is kept in this tab's sessionStorage and taken out of the address bar.
function token() {
  const m = location.hash.match(/token=([^&]+)/);
  if (m) {
    sessionStorage.setItem("heliotrope-token", decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname);
  }
  return sessionStorage.getItem("heliotrope-token");
}

async function refresh() {
  try {
    const t = token();
    const res = await fetch("api/overview", { cache: "no-store", headers: t ? { Authorization: "Bearer " + t } : {} });
    if (res.status === 401) throw new Error("an operator token is needed: open this page as /#token=<token>");
    if (!res.ok) throw new Error("HTTP " + res.status);
    const o = await res.json();
    displayCurrency = o.displayCurrency || displayCurrency;
    fill("data-centres", o.dataCenters, dataCentre);
    fill("queue", o.jobs, job);
    fill("grid-events", o.gridEvents, gridEvent);
    o.dataCenters.forEach(chart);
    document.getElementById("updated").textContent = "as of " + time(o.now);
    document.getElementById("error").textContent = "";
    document.body.dataset.loaded = "true";
  } catch (e) {
    document.getElementById("error").textContent = "could not load the overview: " + e.message;
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
