#include "keeper/metrics/status_page.hpp"

namespace keeper::metrics {

// Text goes into the page through textContent only, never innerHTML: keys,
// reasons and feed names cannot inject markup. A page opened as
// /status?explorer=https://etherscan.io/tx/ turns transaction hashes into links.
std::string_view status_page_html() {
    static constexpr std::string_view page = R"page(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>margin-keeper status</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #1d2330; background: #fafbfc; }
h1 { font-size: 1.3em; margin: 0 0 .3em 0; }
h2 { font-size: 1.05em; margin: 1.4em 0 .4em 0; }
table { border-collapse: collapse; font-size: .9em; }
th, td { text-align: left; padding: .2em .7em; border-bottom: 1px solid #dde1e6; white-space: nowrap; }
th { background: #eef1f4; }
td.health, td.distance, td.number { text-align: right; font-variant-numeric: tabular-nums; }
code, td.account, td.where, td.tx { font-family: ui-monospace, monospace; font-size: .95em; }
tr.liquidatable td { background: #fde2e1; }
tr.near td { background: #fff4d6; }
.summary span { margin-right: 1.4em; }
.empty { color: #6b7280; font-style: italic; }
#paused { display: none; padding: .5em .8em; background: #b91c1c; color: #fff; margin: .6em 0; }
#load-state.error { color: #b91c1c; font-weight: bold; }
</style>
</head>
<body data-state="loading">
<h1>margin-keeper</h1>
<p class="summary">
  <span>chain <b id="chain-id">?</b></span>
  <span>mode <b id="mode">?</b></span>
  <span>head <b id="head-block">?</b></span>
  <span>lag <b id="head-lag-seconds">?</b> s, <b id="head-lag-blocks">?</b> blocks</span>
  <span>positions with debt <b id="accounts-total">?</b></span>
</p>
<p id="load-state">loading /status.json</p>
<div id="paused"></div>

<h2>Protocols</h2>
<table id="protocols"><thead><tr><th>protocol</th><th>key</th><th>state</th><th>block</th><th>positions</th><th>liquidatable</th><th>read errors</th></tr></thead><tbody></tbody></table>

<h2>Riskiest accounts</h2>
<table id="accounts"><thead><tr><th>#</th><th>protocol</th><th>market / pool</th><th>account</th><th>health</th><th>to liquidation</th><th>liquidatable</th></tr></thead><tbody></tbody></table>

<h2>In flight</h2>
<table id="in-flight"><thead><tr><th>journal</th><th>protocol</th><th>kind</th><th>account</th><th>nonce</th><th>attempts</th><th>sent at block</th><th>transaction</th></tr></thead><tbody></tbody></table>

<h2>Recent actions</h2>
<table id="recent-actions"><thead><tr><th>protocol</th><th>kind</th><th>account</th><th>status</th><th>block</th><th>predicted profit</th><th>transaction</th></tr></thead><tbody></tbody></table>

<h2>Oracle feeds</h2>
<table id="oracles"><thead><tr><th>feed</th><th>updated at</th><th>age (s)</th></tr></thead><tbody></tbody></table>

<script>
"use strict";
const explorer = new URLSearchParams(location.search).get("explorer");

function text(id, value) { document.getElementById(id).textContent = String(value); }

function cell(row, cls, value) {
  const td = document.createElement("td");
  if (cls) td.className = cls;
  td.textContent = value === null || value === undefined ? "" : String(value);
  row.appendChild(td);
  return td;
}

function txCell(row, hash) {
  const td = cell(row, "tx", "");
  if (!hash) return;
  if (explorer) {
    const a = document.createElement("a");
    a.href = explorer + hash;
    a.textContent = hash;
    td.appendChild(a);
  } else {
    td.textContent = hash;
  }
}

// "0.047619047619047619" -> "4.76%": the fraction's digits shifted, not
// rounded through a float, so the page shows what the JSON says.
function percent(fraction) {
  const [whole, frac = ""] = String(fraction).split(".");
  const digits = (frac + "0000").slice(0, 4);
  return String(Number(whole) * 100 + Number(digits.slice(0, 2))) + "." + digits.slice(2, 4) + "%";
}

function fill(id, items, columns, render) {
  const body = document.querySelector("#" + id + " tbody");
  body.replaceChildren();
  if (items.length === 0) {
    const row = body.insertRow();
    const td = cell(row, "empty", "none");
    td.colSpan = columns;
    return;
  }
  items.forEach((item, i) => render(body.insertRow(), item, i));
}

function render(s) {
  text("chain-id", s.chain_id);
  text("mode", s.mode);
  text("head-block", s.head.block);
  text("head-lag-seconds", s.head.lag_seconds);
  text("head-lag-blocks", s.head.lag_blocks);
  text("accounts-total", s.accounts_total);
  const paused = document.getElementById("paused");
  if (s.paused.actions || s.paused.assets.length > 0) {
    paused.style.display = "block";
    paused.textContent = "PAUSED" + (s.paused.actions ? ": no new actions" : "") +
      (s.paused.reason ? " (" + s.paused.reason + ")" : "") +
      (s.paused.assets.length > 0 ? "; assets held back: " + s.paused.assets.join(", ") : "");
  } else {
    paused.style.display = "none";
  }
  fill("protocols", s.protocols, 7, (row, p) => {
    row.className = "protocol-row";
    cell(row, "protocol", p.protocol);
    cell(row, "key", p.key);
    cell(row, "state", p.ok ? "ok" : "FAILED this round");
    cell(row, "number block", p.block);
    cell(row, "number positions", p.positions);
    cell(row, "number liquidatable", p.liquidatable);
    cell(row, "number read-errors", p.read_errors);
  });
  fill("accounts", s.accounts, 7, (row, a, i) => {
    row.className = "account-row" + (a.liquidatable ? " liquidatable" : (Number(a.health) < 1.1 ? " near" : ""));
    cell(row, "number rank", i + 1);
    cell(row, "protocol", a.protocol);
    cell(row, "where", a.where.length > 18 ? a.where.slice(0, 10) + "…" + a.where.slice(-6) : a.where).title = a.where;
    cell(row, "account", a.account);
    cell(row, "health", a.health);
    cell(row, "distance", percent(a.distance_to_liquidation));
    cell(row, "liquidatable", a.liquidatable ? "yes" : "no");
  });
  fill("in-flight", s.in_flight, 8, (row, t) => {
    row.className = "in-flight-row";
    cell(row, "number journal", t.journal_id);
    cell(row, "protocol", t.protocol);
    cell(row, "kind", t.kind);
    cell(row, "account", t.account);
    cell(row, "number nonce", t.nonce);
    cell(row, "number attempts", t.attempts);
    cell(row, "number sent-at", t.sent_at_block);
    txCell(row, t.tx_hash);
  });
  fill("recent-actions", s.recent_actions, 7, (row, a) => {
    row.className = "action-row";
    cell(row, "protocol", a.protocol);
    cell(row, "kind", a.kind);
    cell(row, "account", a.account);
    cell(row, "status", a.status + (a.simulation ? " (" + a.simulation + ")" : ""));
    cell(row, "number block", a.block);
    cell(row, "number profit", a.predicted_profit + " " + a.profit_unit);
    txCell(row, a.tx_hash);
  });
  fill("oracles", s.oracles, 3, (row, o) => {
    row.className = "oracle-row";
    cell(row, "feed", o.feed);
    cell(row, "updated-at", new Date(o.updated_at * 1000).toISOString());
    cell(row, "number age", o.age_seconds);
  });
}

function setState(state, message) {
  document.body.dataset.state = state;
  const el = document.getElementById("load-state");
  el.className = state;
  el.textContent = message;
}

async function refresh() {
  try {
    const response = await fetch("status.json", { cache: "no-store" });
    if (response.status === 503) {
      setState("waiting", "no round has finished yet");
      return;
    }
    if (!response.ok) throw new Error("HTTP " + response.status);
    const status = await response.json();
    render(status);
    setState("loaded", "as of block " + status.head.block + ", built " +
             new Date(status.generated_at * 1000).toISOString());
  } catch (e) {
    setState("error", "could not load /status.json: " + e.message);
  }
}

refresh();
setInterval(refresh, 10000);
</script>
</body>
</html>
)page";
    return page;
}

}  // namespace keeper::metrics
