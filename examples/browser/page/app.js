// A small client of the dealercrm JSON API: no framework, no build step. It logs in with a bearer token, lists
// the cars, books a test drive on the first free slot of the chosen car for a new walk-in lead, then tries to book
// the same slot for a second lead and shows the conflict the API answers (its machine-readable code when the
// problem has one, else its title and status).
"use strict";

const state = { api: "", token: "" };

// call sends one request and returns {status, body, headers}; a problem+json answer is returned, not thrown.
async function call(method, path, body) {
  const headers = { "Authorization": "Bearer " + state.token };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    headers["Idempotency-Key"] = crypto.randomUUID();
  }
  const res = await fetch(state.api + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

function show(id, text) {
  const el = document.getElementById(id);
  el.textContent = text;
  el.hidden = false;
  return el;
}

function problemText(p) {
  return p.code ? p.code : p.title + " (" + p.status + ")";
}

async function login(event) {
  event.preventDefault();
  state.api = document.getElementById("api").value.replace(/\/$/, "");
  state.token = document.getElementById("token").value.trim();
  try {
    const me = await call("GET", "/api/v1/me");
    if (me.status !== 200) {
      show("error", "login refused: " + problemText(me.body));
      return;
    }
    show("me", me.body.user.name + " (" + me.body.role + ") — " + me.body.dealer.name);
    await listCars();
  } catch (e) {
    show("error", "the API cannot be reached from this page: " + e);
  }
}

async function listCars() {
  const res = await call("GET", "/api/v1/vehicles?limit=20&count=true");
  const list = document.getElementById("cars");
  list.replaceChildren();
  for (const v of res.body.items) {
    const li = document.createElement("li");
    li.dataset.vehicleId = v.id;
    li.append(v.name + " — " + v.status + " ");
    const book = document.createElement("button");
    book.textContent = "Book a test drive";
    book.className = "book";
    book.addEventListener("click", () => bookTwice(v));
    li.append(book);
    list.append(li);
  }
  const shown = res.body.items.length;
  const total = res.body.total + (res.body.total_estimated ? "+" : "");
  document.getElementById("cars-count").textContent = shown === 0 ? "none" : "1–" + shown + " of " + total;
  document.getElementById("cars-section").hidden = false;
}

async function walkInLead(name, phone) {
  const res = await call("POST", "/api/v1/leads", { name, phone, source: "walk_in", need_type: "car_purchase" });
  if (res.status !== 201) throw new Error("lead: " + problemText(res.body));
  return res.body.id;
}

async function bookTwice(vehicle) {
  try {
    const slots = await call("GET", "/api/v1/vehicles/" + vehicle.id + "/free-slots");
    if (slots.status !== 200 || slots.body.items.length === 0) {
      show("error", "no free slot: " + (slots.body.title || ""));
      return;
    }
    const slot = slots.body.items[0];
    const first = await walkInLead("Иван Петров", "+79001110001");
    const booked = await call("POST", "/api/v1/leads/" + first + "/test-drives", { vehicle_id: vehicle.id, start: slot.start });
    document.getElementById("booking-section").hidden = false;
    if (booked.status !== 201) {
      show("booked", "booking refused: " + problemText(booked.body));
      return;
    }
    const el = document.getElementById("booked");
    el.dataset.etag = booked.headers.get("ETag") || "";
    el.dataset.location = booked.headers.get("Location") || "";
    show("booked", "Booked " + vehicle.name + " " + booked.body.start + " – " + booked.body.end);

    const second = await walkInLead("Мария Сидорова", "+79001110002");
    const again = await call("POST", "/api/v1/leads/" + second + "/test-drives", { vehicle_id: vehicle.id, start: slot.start });
    // everything the test reads is in place before the answer becomes visible
    document.getElementById("conflict").dataset.status = String(again.status);
    document.getElementById("conflict-json").textContent = JSON.stringify(again.body);
    show("conflict", again.status === 201 ? "booked twice!" : problemText(again.body));
  } catch (e) {
    show("error", String(e));
  }
}

document.getElementById("login").addEventListener("submit", login);
const params = new URLSearchParams(location.search);
if (params.get("api")) document.getElementById("api").value = params.get("api");
