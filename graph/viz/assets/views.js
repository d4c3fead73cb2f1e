// newsgraph analyst views: map, timeline and table over the statements of a graph.
// All text from articles reaches the page through textContent (never innerHTML).
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("ng-data").textContent);
  var ATLAS = JSON.parse(document.getElementById("ng-atlas").textContent);
  var E = D.entities, DOCS = D.documents, S = D.statements, CFG = D.config;
  var SVGNS = "http://www.w3.org/2000/svg";
  var VIEWS = ["map", "timeline", "table"];
  var ACTIONS = {}; CFG.actions.forEach(function (r, i) { ACTIONS[r] = i + 1; });
  var LOCATION = {}; CFG.locationTypes.forEach(function (t) { LOCATION[t] = true; });
  var MAX_PANEL = 60, MAX_LANES = 30;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function sv(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function label(i) { return i === null || i === undefined ? "" : E[i].label; }
  function objectText(st) { return st.o === null ? st.lit : E[st.o].label; }
  function docDate(st) { return st.d === null ? "" : DOCS[st.d].date; }
  function docTitle(st) { return st.d === null ? "" : DOCS[st.d].title; }
  function docLine(d) {
    var doc = DOCS[d]; if (!doc) return "";
    var parts = [doc.title || doc.id];
    parts.push(doc.date ? doc.date : "no date");
    if (doc.source) parts.push(doc.source);
    if (doc.url) parts.push(doc.url);
    return parts.join(" · ");
  }
  function asserted(st) { return !st.n && !st.h; }

  // ---- shared filters -------------------------------------------------------------------
  var relCounts = {}, docCounts = {};
  S.forEach(function (st) {
    relCounts[st.p] = (relCounts[st.p] || 0) + 1;
    var dk = st.d === null ? -1 : st.d;
    docCounts[dk] = (docCounts[dk] || 0) + 1;
  });
  var allRelations = Object.keys(relCounts).sort();
  var allDocs = Object.keys(docCounts).map(Number).sort(function (a, b) {
    var da = a < 0 ? "" : DOCS[a].date, db = b < 0 ? "" : DOCS[b].date;
    return da < db ? -1 : da > db ? 1 : a - b;
  });
  var state = { relations: {}, docs: {}, minConf: 0, from: "", to: "" };
  function resetFilters() {
    allRelations.forEach(function (r) { state.relations[r] = true; });
    allDocs.forEach(function (d) { state.docs[d] = true; });
    state.minConf = 0; state.from = ""; state.to = "";
  }
  resetFilters();
  function passes(st) {
    if (!state.relations[st.p]) return false;
    if (!state.docs[st.d === null ? -1 : st.d]) return false;
    if (state.minConf > 0 && (st.c === null || st.c < state.minConf)) return false;
    if (state.from || state.to) {
      var dt = docDate(st);
      if (!dt || (state.from && dt < state.from) || (state.to && dt > state.to)) return false;
    }
    return true;
  }
  var filtered = S;
  function refilter() { filtered = S.filter(passes); document.getElementById("shown-count").textContent = String(filtered.length); }

  function checkList(detailsId, keys, name, count, store) {
    var box = document.querySelector("#" + detailsId + " .list");
    var summaryN = document.getElementById(detailsId + "-n");
    function sync() {
      var on = keys.filter(function (k) { return store[k]; }).length;
      summaryN.textContent = "(" + on + "/" + keys.length + ")";
    }
    keys.forEach(function (k) {
      var lab = el("label"); var cb = el("input"); cb.type = "checkbox"; cb.checked = !!store[k]; cb.value = String(k);
      cb.addEventListener("change", function () { store[k] = cb.checked; sync(); changed(); });
      lab.appendChild(cb); lab.appendChild(document.createTextNode(" " + name(k) + " ")); lab.appendChild(el("span", count[k], "n"));
      box.appendChild(lab);
    });
    document.querySelectorAll("#" + detailsId + " button[data-all]").forEach(function (b) {
      b.addEventListener("click", function () {
        var on = b.getAttribute("data-all") === "1";
        keys.forEach(function (k) { store[k] = on; });
        box.querySelectorAll("input").forEach(function (cb) { cb.checked = on; });
        sync(); changed();
      });
    });
    sync();
    return function () { box.querySelectorAll("input").forEach(function (cb) { cb.checked = !!store[cb.value]; }); sync(); };
  }
  var syncRel = checkList("f-relations", allRelations, function (r) { return r; }, relCounts, state.relations);
  var syncDocs = checkList("f-docs", allDocs, function (d) {
    if (d < 0) return "(statements with no document)";
    return (DOCS[d].date || "no date") + " · " + DOCS[d].title;
  }, docCounts, state.docs);
  var conf = document.getElementById("f-conf"), confV = document.getElementById("f-conf-v");
  var from = document.getElementById("f-from"), to = document.getElementById("f-to");
  conf.addEventListener("input", function () { state.minConf = Number(conf.value); confV.textContent = state.minConf.toFixed(2); changed(); });
  from.addEventListener("change", function () { state.from = from.value; changed(); });
  to.addEventListener("change", function () { state.to = to.value; changed(); });
  document.getElementById("f-reset").addEventListener("click", function () {
    resetFilters(); syncRel(); syncDocs(); conf.value = "0"; confV.textContent = "0.00"; from.value = ""; to.value = ""; changed();
  });
  var dates = DOCS.map(function (d) { return d.date; }).filter(Boolean).sort();
  if (dates.length) { from.min = to.min = dates[0]; from.max = to.max = dates[dates.length - 1]; }

  // ---- evidence panel ----------------------------------------------------------------------
  var panel = document.getElementById("panel");
  function showEvidence(title, subtitle, list) {
    clear(panel);
    panel.appendChild(el("h2", title));
    if (subtitle) panel.appendChild(el("p", subtitle, "muted"));
    var sorted = list.slice().sort(function (a, b) {
      var da = docDate(a), db = docDate(b);
      return da < db ? -1 : da > db ? 1 : (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    var docsSeen = {};
    sorted.slice(0, MAX_PANEL).forEach(function (st) {
      var claim = el("div", label(st.s) + " " + st.p + " " + objectText(st), "claim");
      if (st.n) claim.appendChild(el("span", "negated", "flag"));
      if (st.h) claim.appendChild(el("span", "hedged", "flag"));
      panel.appendChild(claim);
      if (st.e) panel.appendChild(el("blockquote", "“" + st.e + "”"));
      var meta = [];
      if (st.d !== null) { meta.push(docLine(st.d)); docsSeen[st.d] = true; }
      if (st.c !== null) meta.push("confidence " + st.c.toFixed(2));
      if (st.a !== null) meta.push("according to " + label(st.a));
      panel.appendChild(el("div", meta.join(" · "), "doc"));
    });
    if (sorted.length > MAX_PANEL) panel.appendChild(el("p", "… and " + (sorted.length - MAX_PANEL) + " more statement(s); see the table.", "muted"));
    var docIds = Object.keys(docsSeen);
    if (docIds.length) {
      panel.appendChild(el("h2", "Documents (" + docIds.length + ")"));
      var ul = el("ul", null, "linklist");
      docIds.forEach(function (d) { ul.appendChild(el("li", docLine(Number(d)), "doc")); });
      panel.appendChild(ul);
    }
  }

  // ---- map -----------------------------------------------------------------------------------
  var mapSvg = document.getElementById("map");
  var countries = topojson.feature(ATLAS, ATLAS.objects.countries).features;
  var centroid = {};
  countries.forEach(function (f) {
    if (f.id === undefined || !f.geometry) return;
    var g = f.geometry, poly = g;
    if (g.type === "MultiPolygon") {
      var best = -1;
      g.coordinates.forEach(function (c) {
        var p = { type: "Polygon", coordinates: c }, a = d3.geoArea(p);
        if (a > best) { best = a; poly = p; }
      });
    }
    centroid[f.id] = d3.geoCentroid(poly);
  });
  function posKey(p) { return p[0].toFixed(3) + "," + p[1].toFixed(3); }
  // every entity's position ([lon, lat] or null) and its key, worked out once
  var POS = E.map(function (e) {
    if (e.lat !== null && e.lon !== null) return [e.lon, e.lat];
    if (e.country && centroid[e.country]) return centroid[e.country];
    return null;
  });
  var PKEY = POS.map(function (p) { return p ? posKey(p) : null; });
  function pos(i) { return i === null || i === undefined ? null : POS[i]; }
  var projection = d3.geoNaturalEarth1(), path = d3.geoPath(projection);
  var view = { fitted: false, scale: 1, tx: 0, ty: 0 };
  var mapModel = null;

  function buildMapModel(list) {
    var live = list.filter(asserted);
    var routes = {}, undrawn = [], points = {}, unplaced = {};
    var bySubject = {};
    var docFocus = {};
    live.forEach(function (st) {
      for (var j = 0; j < 2; j++) {
        var i = j ? st.o : st.s;
        if (i === null) continue;
        var p = POS[i], k = PKEY[i];
        if (p && st.d !== null) { // how often each position is named in each document
          var f = docFocus[st.d] || (docFocus[st.d] = {});
          (f[k] || (f[k] = { p: p, n: 0 })).n += 1;
        }
        if (LOCATION[E[i].type]) {
          if (p) {
            var pt = points[k] || (points[k] = { key: k, p: p, ents: {}, sts: [] });
            pt.ents[i] = true; pt.sts.push(st);
          } else {
            (unplaced[i] || (unplaced[i] = [])).push(st);
          }
        }
      }
      if ((st.p === CFG.routeFrom || st.p === CFG.routeTo) && st.o !== null) {
        var b = bySubject[st.s] || (bySubject[st.s] = { from: [], to: [] });
        (st.p === CFG.routeFrom ? b.from : b.to).push(st);
      }
    });
    function addRoute(kind, a, z, sts, who) {
      var pa = pos(a), pz = pos(z);
      if (a !== null && !pa && !unplaced[a]) unplaced[a] = sts.slice();
      if (z !== null && !pz && !unplaced[z]) unplaced[z] = sts.slice();
      if (!pa && !pz) { undrawn.push({ kind: kind, a: a, z: z, sts: sts, who: who }); return; }
      var key = kind + "|" + (pa ? PKEY[a] : "?") + ">" + (pz ? PKEY[z] : "?");
      var r = routes[key] || (routes[key] = { key: key, kind: kind, pa: pa, pz: pz, from: {}, to: {}, who: {}, sts: {}, docs: {} });
      if (a !== null) r.from[a] = true;
      if (z !== null) r.to[z] = true;
      if (who !== null) r.who[who] = true;
      sts.forEach(function (st) { r.sts[st.id] = st; if (st.d !== null) r.docs[st.d] = true; });
    }
    Object.keys(bySubject).sort().forEach(function (s) {
      var b = bySubject[s], subj = Number(s);
      if (b.from.length && b.to.length) {
        b.from.forEach(function (f) { b.to.forEach(function (t) { addRoute("trafficking", f.o, t.o, [f, t], subj); }); });
      } else if (b.from.length) {
        b.from.forEach(function (f) { addRoute("trafficking", f.o, null, [f], subj); });
      } else {
        b.to.forEach(function (t) { addRoute("trafficking", null, t.o, [t], subj); });
      }
    });
    // rescue: from the place of rescue to the rescuer; repatriation: from the authority to the
    // country (or to the nationality / origin of the people repatriated)
    var rescuers = {}, homes = {};
    live.forEach(function (st) {
      if (st.o === null) return;
      if (st.p === "rescuedBy" && pos(st.o)) (rescuers[st.s] || (rescuers[st.s] = [])).push(st);
      if ((st.p === "nationality" || st.p === CFG.routeFrom) && pos(st.o)) (homes[st.s] || (homes[st.s] = [])).push(st);
    });
    live.forEach(function (st) {
      if (st.o === null) return;
      if (st.p === "rescuedFrom") {
        var rs = rescuers[st.s] || [];
        if (rs.length) rs.forEach(function (r) { addRoute("rescue", st.o, r.o, [st, r], st.s); });
        else addRoute("rescue", st.o, null, [st], st.s);
      } else if (st.p === "repatriates") {
        if (LOCATION[E[st.o].type] || pos(st.o)) {
          if (LOCATION[E[st.o].type]) addRoute("repatriation", st.s, st.o, [st], null);
          else addRoute("repatriation", st.s, null, [st], st.o);
        } else {
          var hs = homes[st.o] || [];
          if (hs.length) hs.forEach(function (h) { addRoute("repatriation", st.s, h.o, [st, h], st.o); });
          else addRoute("repatriation", st.s, null, [st], st.o);
        }
      }
    });
    var routeList = Object.keys(routes).sort().map(function (k) {
      var r = routes[k];
      r.list = Object.keys(r.sts).sort().map(function (id) { return r.sts[id]; });
      r.focus = null;
      if (r.pa && r.pz) return r;
      // an open route points towards the place its documents name most (other than its own end)
      var own = r.pa ? posKey(r.pa) : posKey(r.pz), tally = {};
      Object.keys(r.docs).forEach(function (d) {
        var f = docFocus[d] || {};
        Object.keys(f).forEach(function (k) { if (k !== own) (tally[k] || (tally[k] = { p: f[k].p, n: 0 })).n += f[k].n; });
      });
      var bestK = null;
      Object.keys(tally).sort().forEach(function (k) { if (bestK === null || tally[k].n > tally[bestK].n) bestK = k; });
      r.focus = bestK === null ? null : tally[bestK].p;
      return r;
    });
    return { routes: routeList, undrawn: undrawn, points: Object.keys(points).sort().map(function (k) { return points[k]; }),
             unplaced: unplaced, live: live };
  }

  function fitMap(w, h) {
    var coords = []; // the routes when there are some (what the map is for), else every point
    mapModel.routes.forEach(function (r) { if (r.pa) coords.push(r.pa); if (r.pz) coords.push(r.pz); });
    if (!coords.length) mapModel.points.forEach(function (p) { coords.push(p.p); });
    if (!coords.length) { projection.fitExtent([[10, 10], [w - 10, h - 10]], { type: "Sphere" }); return; }
    var lons = coords.map(function (c) { return c[0]; }), lats = coords.map(function (c) { return c[1]; });
    var x0 = Math.min.apply(null, lons), x1 = Math.max.apply(null, lons), y0 = Math.min.apply(null, lats), y1 = Math.max.apply(null, lats);
    var padX = Math.max(6, (x1 - x0) * 0.15), padY = Math.max(5, (y1 - y0) * 0.15);
    var box = { type: "MultiPoint", coordinates: [[Math.max(-180, x0 - padX), Math.max(-85, y0 - padY)], [Math.min(180, x1 + padX), Math.min(85, y1 + padY)],
      [Math.max(-180, x0 - padX), Math.min(85, y1 + padY)], [Math.min(180, x1 + padX), Math.max(-85, y0 - padY)]] };
    projection.fitExtent([[20, 20], [w - 20, h - 40]], box);
  }

  var selectedMapKey = null, routeByKey = {}, pointByKey = {};
  mapSvg.addEventListener("click", function (ev) { // one listener for every arrow and point
    if (dragged) { dragged = false; return; }
    var t = ev.target.closest ? ev.target.closest(".route, .point") : null;
    if (!t) return;
    var key = t.getAttribute("data-key");
    if (t.classList.contains("route") && routeByKey[key]) selectRoute(routeByKey[key]);
    else if (pointByKey[key]) selectPoint(pointByKey[key][0], pointByKey[key][1]);
  });
  function drawMap(refit) {
    var wrap = document.getElementById("map-wrap");
    var w = Math.max(300, wrap.clientWidth), h = Math.max(200, wrap.clientHeight);
    mapSvg.setAttribute("viewBox", "0 0 " + w + " " + h);
    mapSvg.setAttribute("width", w); mapSvg.setAttribute("height", h);
    if (refit || !view.fitted) { fitMap(w, h); view.base = { s: projection.scale(), t: projection.translate() }; view.fitted = true; }
    clear(mapSvg);
    routeByKey = {}; pointByKey = {};
    var defs = sv("defs", {});
    [["trafficking", "#c0392b"], ["rescue", "#1f77b4"], ["repatriation", "#2ca02c"]].forEach(function (m) {
      var mk = sv("marker", { id: "arrow-" + m[0], viewBox: "0 0 10 10", refX: "8", refY: "5", markerUnits: "userSpaceOnUse", markerWidth: "13", markerHeight: "13", orient: "auto-start-reverse" });
      mk.appendChild(sv("path", { d: "M0,0 L10,5 L0,10 z", fill: m[1] }));
      defs.appendChild(mk);
    });
    mapSvg.appendChild(defs);
    mapSvg.appendChild(sv("path", { "class": "sphere", d: path({ type: "Sphere" }) }));
    var gC = sv("g", { "class": "countries" });
    var mentioned = {};
    mapModel.points.forEach(function (p) { Object.keys(p.ents).forEach(function (i) { if (E[i].country) mentioned[E[i].country] = true; }); });
    countries.forEach(function (f) {
      var d = path(f); if (!d) return;
      var c = sv("path", { "class": "country" + (mentioned[f.id] ? " mentioned" : ""), d: d });
      c.appendChild(sv("title", {}, f.properties && f.properties.name ? f.properties.name : ""));
      gC.appendChild(c);
    });
    mapSvg.appendChild(gC);
    var maxN = 1;
    mapModel.routes.forEach(function (r) { maxN = Math.max(maxN, r.list.length); });
    mapSvg.classList.toggle("dense", mapModel.routes.length > 300); // many arrows: see through them
    var gR = sv("g", { "class": "routes" });
    var stubsAt = {};
    mapModel.routes.forEach(function (r) {
      var a = r.pa ? projection(r.pa) : null, z = r.pz ? projection(r.pz) : null;
      if ((r.pa && !a) || (r.pz && !z)) return;
      var width = 1.5 + 4.5 * Math.sqrt(r.list.length / maxN), d, open = !a || !z;
      if (a && z) {
        var dx = z[0] - a[0], dy = z[1] - a[1], len = Math.sqrt(dx * dx + dy * dy);
        if (len < 4) { // both ends at one spot: a small loop
          d = "M" + a[0] + "," + a[1] + " c 30,-40 60,10 4,4";
        } else {
          var bend = Math.min(0.25 * len, 80), mx = (a[0] + z[0]) / 2 - dy / len * bend, my = (a[1] + z[1]) / 2 + dx / len * bend;
          var ex = z[0] - (z[0] - mx) / Math.sqrt((z[0] - mx) * (z[0] - mx) + (z[1] - my) * (z[1] - my)) * 5;
          var ey = z[1] - (z[1] - my) / Math.sqrt((z[0] - mx) * (z[0] - mx) + (z[1] - my) * (z[1] - my)) * 5;
          d = "M" + a[0].toFixed(1) + "," + a[1].toFixed(1) + " Q" + mx.toFixed(1) + "," + my.toFixed(1) + " " + ex.toFixed(1) + "," + ey.toFixed(1);
        }
      } else { // the other end is not stated (or not placed): a short dashed arrow towards / from the documents' focus
        var p = a || z, here = r.pa || r.pz, ang = -Math.PI / 6;
        if (r.focus) {
          var f = projection(r.focus);
          if (f && Math.abs(f[0] - p[0]) + Math.abs(f[1] - p[1]) > 8) ang = Math.atan2(f[1] - p[1], f[0] - p[0]);
        }
        var sk = posKey(here) + (a ? ">" : "<");
        var nth = stubsAt[sk] = (stubsAt[sk] || 0) + 1;
        ang += (a ? 0 : Math.PI * 0.8) + (nth - 1) * 0.5;
        var L = 55, q = [p[0] + Math.cos(ang) * L, p[1] + Math.sin(ang) * L];
        d = a ? "M" + p[0].toFixed(1) + "," + p[1].toFixed(1) + " L" + q[0].toFixed(1) + "," + q[1].toFixed(1)
              : "M" + q[0].toFixed(1) + "," + q[1].toFixed(1) + " L" + (p[0] + Math.cos(ang) * 6).toFixed(1) + "," + (p[1] + Math.sin(ang) * 6).toFixed(1);
        gR.appendChild(sv("text", { "class": "q", x: (a ? q[0] : q[0]) + Math.cos(ang) * 8 - 3, y: q[1] + Math.sin(ang) * 8 + 4 }, "?"));
      }
      var pth = sv("path", { "class": "route " + r.kind + (open ? " open" : "") + (r.key === selectedMapKey ? " selected" : ""),
        d: d, "stroke-width": width.toFixed(2), "marker-end": "url(#arrow-" + r.kind + ")", "data-key": r.key, "data-statements": r.list.length,
        "data-from": Object.keys(r.from).map(function (i) { return E[i].id; }).sort().join(" "),
        "data-to": Object.keys(r.to).map(function (i) { return E[i].id; }).sort().join(" ") });
      pth.appendChild(sv("title", {}, routeTitle(r)));
      routeByKey[r.key] = r;
      gR.appendChild(pth);
    });
    mapSvg.appendChild(gR);
    var gP = sv("g", { "class": "points" }), gL = sv("g", { "class": "labels" });
    var maxP = 1; mapModel.points.forEach(function (p) { maxP = Math.max(maxP, p.sts.length); });
    var ranked = mapModel.points.slice().sort(function (x, y) { return y.sts.length - x.sts.length; });
    var labelled = {}; ranked.slice(0, 40).forEach(function (p) { labelled[p.key] = true; });
    mapModel.points.forEach(function (pt) {
      var xy = projection(pt.p); if (!xy) return;
      var ents = Object.keys(pt.ents).map(Number).sort(function (x, y) { return E[x].label < E[y].label ? -1 : 1; });
      var main = ents.filter(function (i) { return E[i].placed !== "within"; })[0];
      if (main === undefined) main = ents[0];
      var c = sv("circle", { "class": "point " + E[main].type + (pt.key === selectedMapKey ? " selected" : ""), cx: xy[0].toFixed(1), cy: xy[1].toFixed(1),
        r: (3.5 + 5 * Math.sqrt(pt.sts.length / maxP)).toFixed(1), "data-key": pt.key });
      c.appendChild(sv("title", {}, ents.map(function (i) { return E[i].label; }).join(", ")));
      pointByKey[pt.key] = [pt, ents];
      gP.appendChild(c);
      if (labelled[pt.key]) {
        var more = ents.length > 1 ? " +" + (ents.length - 1) : "";
        var name = E[main].label.length > 28 ? E[main].label.slice(0, 26) + "…" : E[main].label;
        gL.appendChild(sv("text", { "class": "label", x: (xy[0] + 7).toFixed(1), y: (xy[1] - 6).toFixed(1) }, name + more));
      }
    });
    mapSvg.appendChild(gP); mapSvg.appendChild(gL);
  }
  function names(obj) { return Object.keys(obj).map(function (i) { return E[i].label; }).sort(); }
  function routeTitle(r) {
    var kinds = { trafficking: "Trafficking route", rescue: "Rescue", repatriation: "Repatriation" };
    var a = names(r.from).join(", ") || "origin not stated", z = names(r.to).join(", ") || "destination not stated";
    return kinds[r.kind] + ": " + a + " → " + z + " (" + r.list.length + " statement" + (r.list.length === 1 ? "" : "s") + ")";
  }
  function selectRoute(r) {
    selectedMapKey = r.key;
    mapSvg.querySelectorAll(".selected").forEach(function (n) { n.classList.remove("selected"); });
    mapSvg.querySelectorAll(".route").forEach(function (n) { if (n.getAttribute("data-key") === r.key) n.classList.add("selected"); });
    var who = names(r.who);
    var within = [];
    Object.keys(r.from).concat(Object.keys(r.to)).forEach(function (i) {
      var e = E[i];
      if (e.placed === "within" && e.within !== null) within.push(e.label + " is drawn at " + E[e.within].label);
      if (!pos(Number(i))) within.push(e.label + " has no coordinates");
    });
    showEvidence(routeTitle(r), (who.length ? "Who: " + who.join(", ") + ". " : "") + within.join("; "), r.list);
  }
  function selectPoint(pt, ents) {
    selectedMapKey = pt.key;
    mapSvg.querySelectorAll(".selected").forEach(function (n) { n.classList.remove("selected"); });
    mapSvg.querySelectorAll(".point").forEach(function (n) { if (n.getAttribute("data-key") === pt.key) n.classList.add("selected"); });
    var notes = ents.map(function (i) {
      var e = E[i], how = { geonames: "GeoNames coordinates", country: "country centroid", city: "its largest city", within: "drawn at " + label(e.within) };
      return e.label + " (" + e.type + ", " + (how[e.placed] || "") + ")";
    });
    showEvidence(ents.map(function (i) { return E[i].label; }).join(" · "), notes.join("; "), pt.sts);
  }
  function drawMapSide() {
    var ul = document.getElementById("unplaced"); clear(ul);
    var ids = Object.keys(mapModel.unplaced).map(Number).sort(function (a, b) { return E[a].label < E[b].label ? -1 : E[a].label > E[b].label ? 1 : a - b; });
    ids.forEach(function (i) {
      var li = el("li"), b = el("button", E[i].label + " (" + E[i].type + ")");
      b.type = "button";
      b.addEventListener("click", function () {
        var sts = mapModel.live.filter(function (st) { return st.s === i || st.o === i; });
        showEvidence(E[i].label, E[i].type + " with no coordinates", sts);
      });
      li.appendChild(b); ul.appendChild(li);
    });
    if (!ids.length) ul.appendChild(el("li", "none", "muted"));
    var ud = document.getElementById("undrawn"); clear(ud);
    mapModel.undrawn.forEach(function (r) {
      var li = el("li"), t = (label(r.who) ? label(r.who) + ": " : "") + (label(r.a) || "?") + " → " + (label(r.z) || "?");
      var b = el("button", r.kind + " · " + t); b.type = "button";
      b.addEventListener("click", function () { showEvidence(r.kind + ": " + t, "Neither end has a position.", r.sts); });
      li.appendChild(b); ud.appendChild(li);
    });
    if (!mapModel.undrawn.length) ud.appendChild(el("li", "none", "muted"));
  }
  var timings = {};
  function renderMap(refit) {
    var t0 = performance.now();
    mapModel = buildMapModel(filtered);
    var t1 = performance.now();
    drawMap(refit);
    var t2 = performance.now();
    drawMapSide();
    timings.mapModel = t1 - t0; timings.mapDraw = t2 - t1; timings.mapSide = performance.now() - t2;
  }
  // zoom and pan by changing the projection (strokes and points keep their size)
  function zoomBy(k, cx, cy) {
    var s = projection.scale(), t = projection.translate();
    var ns = Math.max(view.base.s * 0.5, Math.min(view.base.s * 60, s * k)); k = ns / s;
    projection.scale(ns).translate([cx - (cx - t[0]) * k, cy - (cy - t[1]) * k]);
    redrawSoon();
  }
  var redrawPending = false;
  function redrawSoon() { // wheel and drag events come faster than a big map draws: one draw per frame
    if (redrawPending) return;
    redrawPending = true;
    requestAnimationFrame(function () { redrawPending = false; drawMap(false); });
  }
  mapSvg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var r = mapSvg.getBoundingClientRect();
    zoomBy(ev.deltaY < 0 ? 1.2 : 1 / 1.2, ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  var drag = null;
  mapSvg.addEventListener("pointerdown", function (ev) { if (ev.button === 0) drag = { x: ev.clientX, y: ev.clientY, moved: false }; });
  window.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag.moved = true; drag.x = ev.clientX; drag.y = ev.clientY;
    var t = projection.translate(); projection.translate([t[0] + dx, t[1] + dy]);
    redrawSoon();
  });
  var dragged = false; // a drag ends with a click: that click selects nothing
  window.addEventListener("pointerup", function () { dragged = !!(drag && drag.moved); drag = null; });
  document.getElementById("zoom-in").addEventListener("click", function () { var r = mapSvg.getBoundingClientRect(); zoomBy(1.5, r.width / 2, r.height / 2); });
  document.getElementById("zoom-out").addEventListener("click", function () { var r = mapSvg.getBoundingClientRect(); zoomBy(1 / 1.5, r.width / 2, r.height / 2); });
  document.getElementById("zoom-fit").addEventListener("click", function () { drawMap(true); });

  // ---- timeline --------------------------------------------------------------------------------
  var tlSvg = document.getElementById("timeline");
  function parseDay(s) { return Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))); }
  function fmtDay(ms) { return new Date(ms).toISOString().slice(0, 10); }
  function ticks(t0, t1) {
    var d0 = new Date(t0), span = (t1 - t0) / 86400000, out = [], step, y, m;
    if (span > 365 * 3) {
      step = Math.ceil(span / 365 / 8);
      for (y = d0.getUTCFullYear(); Date.UTC(y, 0, 1) <= t1; y += step) if (Date.UTC(y, 0, 1) >= t0) out.push([Date.UTC(y, 0, 1), String(y)]);
    } else if (span > 45) {
      step = Math.max(1, Math.ceil(span / 30 / 8));
      for (y = d0.getUTCFullYear(), m = d0.getUTCMonth(); Date.UTC(y, m, 1) <= t1; m += step) {
        var t = Date.UTC(y, m, 1); if (t >= t0) out.push([t, fmtDay(t).slice(0, 7)]);
      }
    } else {
      step = Math.max(1, Math.ceil(span / 8));
      for (var t2 = t0; t2 <= t1; t2 += step * 86400000) out.push([t2, fmtDay(t2)]);
    }
    return out;
  }
  var selectedAction = null;
  document.getElementById("timeline-lanes").addEventListener("change", function () { selectedAction = null; renderTimeline(); });
  function renderTimeline() {
    var list = filtered.filter(function (st) { return ACTIONS[st.p] && asserted(st); });
    var dated = list.filter(function (st) { return docDate(st); }), undated = list.filter(function (st) { return !docDate(st); });
    // lanes: one per relation, or one per actor (the subject; the busiest MAX_LANES, the rest together)
    var byActor = document.getElementById("timeline-lanes").value === "actor", laneOf, lanes, laneName;
    if (byActor) {
      var counts = {};
      dated.forEach(function (st) { counts[st.s] = (counts[st.s] || 0) + 1; });
      var actors = Object.keys(counts).map(Number).sort(function (a, b) { return counts[b] - counts[a] || (E[a].label < E[b].label ? -1 : E[a].label > E[b].label ? 1 : a - b); });
      var kept = {}; actors.slice(0, MAX_LANES).forEach(function (a) { kept[a] = true; });
      lanes = actors.slice(0, MAX_LANES).map(String);
      if (actors.length > MAX_LANES) lanes.push("other");
      laneOf = function (st) { return kept[st.s] ? String(st.s) : "other"; };
      laneName = function (k) { return k === "other" ? "(" + (actors.length - MAX_LANES) + " other actors)" : E[Number(k)].label; };
    } else {
      lanes = Object.keys(dated.reduce(function (acc, st) { acc[st.p] = 1; return acc; }, {})).sort(function (a, b) { return ACTIONS[a] - ACTIONS[b]; });
      laneOf = function (st) { return st.p; };
      laneName = function (k) { return k; };
    }
    clear(tlSvg);
    document.getElementById("timeline-empty").hidden = dated.length > 0;
    tlSvg.style.display = dated.length ? "" : "none";
    if (dated.length) {
      var days = dated.map(function (st) { return parseDay(docDate(st)); });
      var t0 = Math.min.apply(null, days), t1 = Math.max.apply(null, days);
      if (t1 - t0 < 86400000 * 20) { t0 -= 86400000 * 10; t1 += 86400000 * 10; }
      var padT = (t1 - t0) * 0.03; t0 -= padT; t1 += padT;
      var W = Math.max(500, document.getElementById("view-timeline").clientWidth - 30), left = 140, right = 20, laneH = 34, top = 22;
      var H = top + lanes.length * laneH + 30;
      tlSvg.setAttribute("width", W); tlSvg.setAttribute("height", H); tlSvg.setAttribute("viewBox", "0 0 " + W + " " + H);
      var x = function (t) { return left + (t - t0) / (t1 - t0) * (W - left - right); };
      var axis = sv("g", { "class": "axis" });
      ticks(t0, t1).forEach(function (tk) {
        axis.appendChild(sv("line", { x1: x(tk[0]).toFixed(1), x2: x(tk[0]).toFixed(1), y1: top, y2: top + lanes.length * laneH }));
        axis.appendChild(sv("text", { x: x(tk[0]).toFixed(1), y: top + lanes.length * laneH + 16, "text-anchor": "middle" }, tk[1]));
        axis.appendChild(sv("text", { x: x(tk[0]).toFixed(1), y: top - 7, "text-anchor": "middle" }, tk[1])); // and on top
      });
      var gl = sv("g", {});
      lanes.forEach(function (lane, li) {
        var y = top + li * laneH, name = laneName(lane);
        gl.appendChild(sv("rect", { "class": "lane", x: left, y: y + 2, width: W - left - right, height: laneH - 4 }));
        var lg = sv("g", {});
        lg.appendChild(sv("title", {}, name));
        lg.appendChild(sv("text", { "class": "lane-label", x: left - 8, y: y + laneH / 2 + 4, "text-anchor": "end" }, name.length > 20 ? name.slice(0, 19) + "…" : name));
        gl.appendChild(lg);
      });
      tlSvg.appendChild(gl); tlSvg.appendChild(axis);
      var buckets = {};
      dated.forEach(function (st) {
        var lane = laneOf(st), k = lane + "|" + docDate(st);
        (buckets[k] || (buckets[k] = { lane: lane, date: docDate(st), sts: [] })).sts.push(st);
      });
      var gd = sv("g", { "class": "actions" });
      Object.keys(buckets).sort().forEach(function (k) {
        var b = buckets[k], li = lanes.indexOf(b.lane), name = laneName(b.lane);
        var rels = Object.keys(b.sts.reduce(function (acc, st) { acc[st.p] = 1; return acc; }, {})).sort();
        var c = sv("circle", { "class": "action" + (k === selectedAction ? " selected" : ""), cx: x(parseDay(b.date)).toFixed(1), cy: (top + li * laneH + laneH / 2).toFixed(1),
          r: Math.min(13, 5 + 2 * Math.sqrt(b.sts.length - 1)).toFixed(1), "data-date": b.date, "data-relation": rels.join(" "), "data-count": b.sts.length });
        c.appendChild(sv("title", {}, b.date + " · " + name + " · " + b.sts.map(function (st) { return label(st.s) + " " + st.p + " " + objectText(st); }).slice(0, 5).join("; ") + (b.sts.length > 5 ? " …" : "")));
        c.addEventListener("click", function () {
          selectedAction = k;
          tlSvg.querySelectorAll(".action.selected").forEach(function (n) { n.classList.remove("selected"); });
          c.classList.add("selected");
          showEvidence(name + " · " + b.date, b.sts.length + " statement(s) in documents dated " + b.date, b.sts);
        });
        gd.appendChild(c);
      });
      tlSvg.appendChild(gd);
    }
    var ul = document.getElementById("undated"); clear(ul);
    var byDoc = {};
    undated.forEach(function (st) { var k = st.d === null ? -1 : st.d; (byDoc[k] || (byDoc[k] = [])).push(st); });
    Object.keys(byDoc).map(Number).sort(function (a, b) { return a - b; }).forEach(function (d) {
      var li = el("li"), name = d < 0 ? "(no document)" : DOCS[d].title + (DOCS[d].date_text ? " (date not understood: " + DOCS[d].date_text + ")" : " (no date)");
      var b = el("button", name + " · " + byDoc[d].length + " action(s): " + byDoc[d].slice(0, 3).map(function (st) { return label(st.s) + " " + st.p + " " + objectText(st); }).join("; ") + (byDoc[d].length > 3 ? " …" : ""));
      b.type = "button";
      b.addEventListener("click", function () { showEvidence(name, "Actions in a document with no date", byDoc[d]); });
      li.appendChild(b); ul.appendChild(li);
    });
    if (!undated.length) ul.appendChild(el("li", "none", "muted"));
  }

  // ---- table -----------------------------------------------------------------------------------
  var tbody = document.querySelector("#statements tbody");
  var textBox = document.getElementById("table-text"), claimsSel = document.getElementById("table-claims");
  var sortKey = "date", sortDir = 1, tableRows = [];
  var keyFns = {
    subject: function (st) { return label(st.s).toLowerCase(); },
    relation: function (st) { return st.p; },
    object: function (st) { return objectText(st).toLowerCase(); },
    confidence: function (st) { return st.c === null ? -1 : st.c; },
    flags: function (st) { return (st.n ? 2 : 0) + (st.h ? 1 : 0); },
    date: function (st) { return docDate(st) || "9999"; },
    document: function (st) { return docTitle(st).toLowerCase(); },
    evidence: function (st) { return st.e.toLowerCase(); },
  };
  function flagsText(st) { return [st.n ? "negated" : "", st.h ? "hedged" : ""].filter(Boolean).join(", "); }
  function tableFilter() {
    var q = textBox.value.trim().toLowerCase(), mode = claimsSel.value;
    return filtered.filter(function (st) {
      if (mode === "asserted" && !asserted(st)) return false;
      if (mode === "qualified" && asserted(st)) return false;
      if (!q) return true;
      return (label(st.s) + "\u0000" + st.p + "\u0000" + objectText(st) + "\u0000" + st.e + "\u0000" + docTitle(st) + "\u0000" + docDate(st)).toLowerCase().indexOf(q) >= 0;
    });
  }
  function renderTable() {
    var rows = tableFilter();
    var f = keyFns[sortKey];
    var keyed = rows.map(function (st, i) { return [f(st), i, st]; });
    keyed.sort(function (a, b) { return a[0] < b[0] ? -sortDir : a[0] > b[0] ? sortDir : a[1] - b[1]; });
    tableRows = keyed.map(function (k) { return k[2]; });
    document.querySelectorAll("#statements th").forEach(function (th) {
      th.setAttribute("aria-sort", th.getAttribute("data-key") === sortKey ? (sortDir > 0 ? "ascending" : "descending") : "none");
    });
    clear(tbody);
    tableShown = 0;
    appendRows(TABLE_PAGE);
  }
  // rows go in pages (500 at once; "show more" / "show all"); the count and the CSV cover every row
  var TABLE_PAGE = 500, tableShown = 0;
  function appendRows(count) {
    var frag = document.createDocumentFragment(), end = Math.min(tableRows.length, tableShown + count);
    for (var i = tableShown; i < end; i++) {
      var st = tableRows[i], tr = document.createElement("tr");
      tr.setAttribute("data-i", i);
      [label(st.s), st.p, objectText(st), st.c === null ? "" : st.c.toFixed(2), flagsText(st), docDate(st), docTitle(st), st.e].forEach(function (v) {
        var td = document.createElement("td"); td.textContent = v; tr.appendChild(td);
      });
      frag.appendChild(tr);
    }
    tbody.appendChild(frag);
    tableShown = end;
    var left = tableRows.length - tableShown;
    document.getElementById("table-count").textContent = tableRows.length + " row(s)" + (left ? ", showing the first " + tableShown : "");
    document.getElementById("table-more").hidden = document.getElementById("table-all").hidden = left === 0;
    document.getElementById("table-more").textContent = "Show " + Math.min(left, TABLE_PAGE) + " more";
  }
  document.getElementById("table-more").addEventListener("click", function () { appendRows(TABLE_PAGE); });
  document.getElementById("table-all").addEventListener("click", function () { appendRows(tableRows.length); });
  tbody.addEventListener("click", function (ev) {
    var tr = ev.target.closest("tr"); if (!tr) return;
    tbody.querySelectorAll("tr.selected").forEach(function (n) { n.classList.remove("selected"); });
    tr.classList.add("selected");
    var st = tableRows[Number(tr.getAttribute("data-i"))];
    showEvidence(label(st.s) + " " + st.p + " " + objectText(st), st.id, [st]);
  });
  document.querySelectorAll("#statements th").forEach(function (th) {
    th.addEventListener("click", function () {
      var k = th.getAttribute("data-key");
      if (k === sortKey) sortDir = -sortDir; else { sortKey = k; sortDir = 1; }
      renderTable();
    });
  });
  var textTimer = null;
  textBox.addEventListener("input", function () { clearTimeout(textTimer); textTimer = setTimeout(renderTable, 150); });
  claimsSel.addEventListener("change", renderTable);
  function csvCell(v) {
    var s = v === null || v === undefined ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s; // a spreadsheet would run it as a formula
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function csvText() {
    var head = ["subject", "relation", "object", "confidence", "negated", "hedged", "date", "document", "evidence",
      "subject_iri", "object_iri", "document_iri", "statement_iri"];
    var lines = [head.join(",")];
    tableRows.forEach(function (st) {
      lines.push([label(st.s), st.p, objectText(st), st.c === null ? "" : st.c, st.n, st.h, docDate(st), docTitle(st), st.e,
        E[st.s].id, st.o === null ? "" : E[st.o].id, st.d === null ? "" : DOCS[st.d].id, st.id].map(csvCell).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }
  document.getElementById("csv").addEventListener("click", function () {
    var blob = new Blob([csvText()], { type: "text/csv;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob); a.download = "newsgraph-statements.csv";
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 60000);
  });

  // ---- tabs and redraws ------------------------------------------------------------------------
  var current = null, dirty = { map: true, timeline: true, table: true };
  var renderers = { map: function () { renderMap(!view.fitted); }, timeline: renderTimeline, table: renderTable };
  function show(name) {
    if (VIEWS.indexOf(name) < 0) name = "map";
    current = name;
    document.body.setAttribute("data-view", name);
    VIEWS.forEach(function (v) {
      document.getElementById("view-" + v).hidden = v !== name;
      document.getElementById("tab-" + v).setAttribute("aria-selected", v === name ? "true" : "false");
    });
    if (dirty[name]) { renderers[name](); dirty[name] = false; }
    document.body.setAttribute("data-rendered", name);
  }
  function changed() {
    refilter();
    VIEWS.forEach(function (v) { dirty[v] = true; });
    if (current === "map") view.fitted = false;
    show(current);
  }
  document.querySelectorAll("nav[role=tablist] button").forEach(function (b) {
    b.addEventListener("click", function () { var v = b.getAttribute("data-view"); show(v); try { location.hash = v; } catch (e) { /* no hash on this page */ } });
  });
  window.addEventListener("hashchange", function () { var v = location.hash.slice(1); if (VIEWS.indexOf(v) >= 0 && v !== current) show(v); });
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { dirty.map = dirty.timeline = true; if (current === "map") view.fitted = false; if (current !== "table") show(current); }, 150);
  });
  window.newsgraphViews = {
    data: D, show: show, filtered: function () { return filtered; }, tableRows: function () { return tableRows; },
    mapModel: function () { return mapModel; }, csvText: csvText, state: state, changed: changed, timings: timings,
  };
  refilter();
  var start = location.hash.slice(1);
  show(VIEWS.indexOf(start) >= 0 ? start : document.body.getAttribute("data-view"));
  document.body.setAttribute("data-ready", "true");
})();
