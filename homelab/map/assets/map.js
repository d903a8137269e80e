/* homelab map: draws the page from the JSON embedded in it (inlined by homelab/map/html.py; no network).
   Text goes in with textContent, never as HTML; only http(s) URLs become links. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var entries = []; // [{entry, cluster, button}] in page order
  var COLLAPSE_OVER = 40; // a cluster with more apps shows its groups collapsed (those with a change open)

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "class") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function badge(text, cls) { return el("span", { class: "badge " + (cls || text), text: text }); }
  function statusBadge(item) { return item.status ? badge(item.status) : null; }
  function link(url) {
    return /^https?:\/\//.test(url) ? el("a", { href: url, target: "_blank", rel: "noopener", text: url }) : el("span", { text: url });
  }

  function section(title, items, draw) {
    if (!items || !items.length) return null;
    return el("div", { "data-section": title.toLowerCase() }, [el("h4", { text: title }), el("ul", {}, items.map(function (item) {
      return el("li", { class: item.status || "" }, draw(item));
    }))]);
  }
  function table(title, rows, columns) {
    if (!rows || !rows.length) return null;
    var head = el("tr", {}, columns.map(function (c) { return el("th", { text: c[1] }); }));
    var body = rows.map(function (r) {
      return el("tr", { class: r.status || "" }, columns.map(function (c) {
        var v = r[c[0]];
        return el("td", { text: Array.isArray(v) ? v.join(", ") : String(v === undefined ? "" : v) });
      }));
    });
    return el("div", { "data-section": title.toLowerCase() }, [el("h4", { text: title }), el("table", {}, [head].concat(body))]);
  }

  function card(entry, cluster) {
    var facts = [
      ["namespace", entry.namespace], ["project", entry.project], ["group", entry.group], ["construct", entry.construct],
      ["deploys", entry.deploys], ["sync", entry.sync], ["source", entry.source], ["Application in", entry.application_source], ["overlay source", entry.overlay_source],
      ["dist", entry.dist],
      ["backup", entry.backup ? (cluster.backups.velero ? "Velero: " + cluster.backups.velero.schedule : "backup=True (no Velero on this cluster)") : ""]
    ].filter(function (f) { return f[1]; });
    var dl = el("dl", {}, [].concat.apply([], facts.map(function (f) { return [el("dt", { text: f[0] }), el("dd", { text: String(f[1]) })]; })));
    var title = el("h3", {}, [entry.name, entry.enabled === false ? badge("off") : null, statusBadge(entry)]);
    return el("div", { class: "card", "data-entry": entry.name }, [
      title, el("div", { class: "meta", text: "cluster " + cluster.name }), dl,
      section("Addresses", entry.addresses, function (a) { return [link(a.url), el("span", { class: "muted", text: " via " + a.via + (a.note ? ", " + a.note : "") })]; }),
      table("Databases", entry.databases, [["name", "name"], ["instances", "instances"], ["size", "size"], ["storage_class", "storage class"], ["database", "database"], ["secrets", "secrets"]]),
      section("Volumes", entry.volumes, function (v) {
        var facts = [v.kind, v.size, v.storage_class && "on " + v.storage_class, v.access, v.nfs && "NFS " + v.nfs, v.volume && "bound to " + v.volume];
        return [el("code", { text: v.name }), " " + facts.filter(Boolean).join(", ")];
      }),
      section("Secrets", entry.secrets, function (s) {
        var keys = s.keys.map(function (k) { return el("code", { text: k }); });
        if (s.more) keys.push(el("span", { class: "muted", text: s.more }));
        return [el("code", { text: s.name }), " (" + s.kind + "): "].concat(keys);
      }),
      section("Charts", entry.charts, function (c) {
        return [el("code", { text: c.application }), " " + (c.chart ? c.chart + " " + c.version + " from " + c.repo : c.repo + " " + c.path + " @ " + c.version)];
      }),
      section("Remote bases", (entry.remote || []).map(function (r) { return { url: r }; }), function (r) { return [el("code", { text: r.url })]; }),
      section("Links", entry.links, function (l) { return [l.from + " " + l.why + " " + l.to + (l.via ? " (made by " + l.via + ")" : "")]; }),
      section("Objects", entry.objects, function (o) { return [el("code", { text: o.id }), el("span", { class: "muted", text: " " + o.construct + (o.status ? " — " + o.status : "") })]; })
    ]);
  }

  function entryButton(entry, cluster) {
    var cls = "entry" + (entry.enabled === false ? " off" : "") + (entry.status ? " " + entry.status : "");
    var button = el("button", { class: cls, type: "button", "data-name": entry.name, "data-cluster": cluster.name, title: entry.name },
      [entry.name, entry.enabled === false ? badge("off") : null, statusBadge(entry),
        entry.namespace && entry.namespace !== entry.name ? el("small", { text: entry.namespace }) : null]);
    var record = { entry: entry, cluster: cluster, button: button };
    button.addEventListener("click", function () { show(record); });
    entries.push(record);
    var wrap = el("div", {}, [button, el("div", { class: "print-details" })]);
    return wrap;
  }

  function show(record) {
    entries.forEach(function (r) { r.button.classList.remove("selected"); });
    record.button.classList.add("selected");
    var aside = document.getElementById("details");
    aside.textContent = "";
    aside.appendChild(card(record.entry, record.cluster));
  }

  function group(title, list, cluster, open) {
    var changed = list.some(function (e) { return e.status; });
    var summary = el("summary", {}, [title + " ", el("span", { class: "muted", text: "(" + list.length + ")" }), changed ? badge("changed") : null]);
    var box = el("details", { class: "group" }, [summary, el("div", { class: "entries" }, list.map(function (e) { return entryButton(e, cluster); }))]);
    box.open = open || changed;
    return box;
  }

  function drawCluster(cluster) {
    var apps = cluster.groups.reduce(function (n, g) { return n + g.apps.length; }, 0);
    var open = apps <= COLLAPSE_OVER;
    var singles = [], parts = [];
    cluster.groups.forEach(function (g) {
      if (g.apps.length === 1 && g.apps[0].name === g.name) singles.push(g.apps[0]);
      else parts.push(group("project " + g.name, g.apps, cluster, open));
    });
    var meta = [cluster.tailnet && "tailnet " + cluster.tailnet, cluster.repo + " @ " + cluster.revision, cluster.source, cluster.dist].filter(Boolean).join(" · ");
    var on = cluster.groups.reduce(function (n, g) { return n + g.apps.filter(function (a) { return a.enabled; }).length; }, 0);
    var storage = table("Storage classes", cluster.storage_classes, [["name", "name"], ["provisioner", "provisioner"], ["declared_by", "declared by"]]);
    var backups = [];
    if (cluster.backups.velero) backups.push({ text: "Velero " + cluster.backups.velero.schedule + ": " + cluster.backups.velero.namespaces.join(", ") });
    if (cluster.backups.longhorn) backups.push({ text: "Longhorn volumes to " + cluster.backups.longhorn.target });
    return el("section", { class: "cluster" + (cluster.status ? " " + cluster.status : ""), "data-cluster": cluster.name }, [
      el("h2", {}, [cluster.name, statusBadge(cluster)]),
      el("div", { class: "meta", text: meta }),
      el("div", { class: "muted", text: on + " apps on, " + (apps - on) + " off, " + cluster.platform.length + " platform components" + (cluster.changes ? " · " + cluster.changes : "") }),
      cluster.platform.length ? group("platform", cluster.platform, cluster, false) : null,
      singles.length ? group("apps", singles, cluster, open) : null,
      el("div", {}, parts),
      el("details", { class: "group" }, [el("summary", { text: "cluster-wide objects, storage and backups" }),
        el("div", { class: "entries" }, [entryButton(cluster.own, cluster)]), storage,
        section("Backups", backups, function (b) { return [b.text]; })])
    ]);
  }

  function filter() {
    var words = document.getElementById("search").value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    entries.forEach(function (r) {
      var text = (r.entry.name + " " + (r.entry.namespace || "") + " " + r.cluster.name).toLowerCase();
      var match = words.every(function (w) { return text.indexOf(w) >= 0; });
      r.button.parentNode.hidden = !match;
      if (match) shown++;
    });
    document.querySelectorAll("details.group").forEach(function (d) {
      if (words.length) d.open = !!d.querySelector(".entries > div:not([hidden])");
    });
    document.getElementById("count").textContent = words.length ? shown + " of " + entries.length + " shown" : entries.length + " entries";
  }

  function expandForPrint() {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
    entries.forEach(function (r) {
      var slot = r.button.nextSibling;
      if (!slot.firstChild) slot.appendChild(card(r.entry, r.cluster));
    });
  }

  document.title = "homelab map — " + data.title;
  document.getElementById("title").textContent = "homelab map — " + data.title + (data.since ? " (changes since " + data.since + ")" : "");
  if (data.summary) document.getElementById("summary").textContent = data.summary;
  var root = document.getElementById("clusters");
  data.clusters.forEach(function (c) { root.appendChild(drawCluster(c)); });
  document.getElementById("search").addEventListener("input", filter);
  window.addEventListener("beforeprint", expandForPrint);
  filter();
  window.homelabMap = { expandForPrint: expandForPrint, entries: entries.length };
})();
