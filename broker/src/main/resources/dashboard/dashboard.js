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
  cell(row, dc.pricePerMwh === null ? "–" : num(dc.pricePerMwh, 2) + " " + dc.currency, "num");
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
  cell(row, num(e.deliveredKw, 1), "num");
}

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
    { label: "price /MWh" + (s.currency ? " " + s.currency : ""), data: points(s.pricePerMwh),
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
    box.append(title, canvas);
    document.getElementById("charts").appendChild(box);
    const c = new Chart(canvas, {
      type: "line",
      data: { datasets: datasets(dc.series) },
      options: {
        animation: false, maintainAspectRatio: false, pointRadius: 0, borderWidth: 1.5,
        elements: { point: { radius: 0 } },
        scales: {
          x: { type: "linear", min: -24, max: 24, title: { display: true, text: "hours from now" } },
          kw: { position: "left", beginAtZero: true, title: { display: true, text: "kW" } },
          carbon: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false },
            title: { display: true, text: "g/kWh" } },
          price: { position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: "/MWh" } },
        },
      },
    });
    entry = { chart: c };
    charts.set(dc.name, entry);
  } else {
    entry.chart.data.datasets = datasets(dc.series);
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
