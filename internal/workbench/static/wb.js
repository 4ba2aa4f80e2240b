// Pressroom workbench: inline saving, conflicts, unsaved text kept in
// localStorage, keyboard shortcuts, live refresh of lists. Every action
// also works as a plain form post without this script.
"use strict";
(function () {
  const task = document.getElementById("task");
  if (task) initTask(task);
  document.querySelectorAll("[data-refresh]").forEach(initRefresh);

  function initTask(task) {
    const slug = task.dataset.slug, locale = task.dataset.locale;
    const msg = (k) => task.dataset["msg" + k] || k;
    const key = (id) => "pressroom:unsaved:" + slug + ":" + locale + ":" + id;
    const forms = Array.from(document.querySelectorAll("form.tgt"));
    let current = null;

    forms.forEach((form) => {
      const ta = form.querySelector("textarea");
      const state = form.querySelector(".state");
      const seg = form.closest(".seg");
      if (!ta || ta.readOnly) return;
      // Text typed before a reload (or a crash) is restored, marked unsaved.
      const kept = localStorage.getItem(key(form.dataset.id));
      if (kept !== null && kept !== ta.value) {
        ta.value = kept;
        mark(form, true);
      } else if (kept !== null) {
        localStorage.removeItem(key(form.dataset.id));
      }
      ta.addEventListener("input", () => {
        if (ta.value === ta.dataset.server) {
          localStorage.removeItem(key(form.dataset.id));
          mark(form, false);
        } else {
          localStorage.setItem(key(form.dataset.id), ta.value);
          mark(form, true);
        }
      });
      ta.addEventListener("focus", () => setCurrent(seg));
      form.addEventListener("submit", (ev) => { ev.preventDefault(); save(form); });
      form.querySelectorAll(".take").forEach((b) => b.addEventListener("click", () => put(form, b.dataset.text)));
      const copy = form.querySelector(".copy-source");
      if (copy) copy.addEventListener("click", () => put(form, copy.dataset.text));
      seg.querySelectorAll(".chip").forEach((c) => c.addEventListener("click", () => insert(ta, c.dataset.insert)));
      void state;
    });

    function mark(form, unsaved) {
      form.closest(".seg").classList.toggle("unsaved", unsaved);
      form.querySelector(".state").textContent = unsaved ? msg("Unsaved") : "";
    }
    function put(form, text) {
      const ta = form.querySelector("textarea");
      ta.value = text;
      ta.dispatchEvent(new Event("input"));
      ta.focus();
    }
    function insert(ta, text) {
      const s = ta.selectionStart, e = ta.selectionEnd;
      ta.setRangeText(text, s, e, "end");
      ta.dispatchEvent(new Event("input"));
      ta.focus();
    }
    function setCurrent(seg) {
      if (current) current.classList.remove("current");
      current = seg;
      if (seg) seg.classList.add("current");
    }
    function move(delta) {
      const i = current ? forms.indexOf(current.querySelector("form.tgt")) : -1;
      const page = document.getElementById(delta > 0 ? "next-page" : "prev-page");
      if (page && ((delta > 0 && i === forms.length - 1) || (delta < 0 && i === 0))) {
        location.href = page.href;
        return;
      }
      const next = forms[Math.max(0, Math.min(forms.length - 1, i + delta))];
      if (next) {
        const ta = next.querySelector("textarea");
        ta.focus();
        next.closest(".seg").scrollIntoView({ block: "center" });
      }
    }

    async function save(form, andNext) {
      const ta = form.querySelector("textarea");
      const base = form.querySelector("input[name=base_draft]");
      const state = form.querySelector(".state");
      state.textContent = msg("Saving");
      let res, body;
      try {
        res = await fetch(form.action, {
          method: "POST", headers: { "Accept": "application/json" },
          body: new URLSearchParams({ text: ta.value, base_draft: base.value }), credentials: "same-origin",
        });
        body = await res.json();
      } catch (e) {
        state.textContent = msg("Failed");
        return;
      }
      clearConflict(form);
      if (res.ok) {
        localStorage.removeItem(key(form.dataset.id));
        ta.dataset.server = body.text !== undefined ? body.text : ta.value;
        base.value = body.draft;
        document.querySelectorAll(".approve-base").forEach((i) => { i.value = body.draft; });
        task.dataset.draft = body.draft;
        mark(form, false);
        state.textContent = msg("Saved");
        showFindings(form, body.findings || []);
        setTotals(body);
        const prov = form.querySelector(".badge.prov");
        if (prov && body.provenance) prov.textContent = body.provenance;
        if (andNext) move(1);
      } else if (res.status === 409 && body.conflict) {
        showConflict(form, body);
      } else {
        state.textContent = body.error || msg("Failed");
      }
    }

    function showFindings(form, findings) {
      const box = form.querySelector(".findings");
      box.replaceChildren();
      let errors = 0, warnings = 0;
      findings.forEach((f) => {
        const b = document.createElement("span");
        b.className = "badge " + f.severity;
        b.title = f.check;
        b.textContent = (f.severity === "error" ? msg("Error") : msg("Warning")) + ": " + f.message;
        box.appendChild(b);
        if (f.severity === "error") errors++; else warnings++;
      });
      const seg = form.closest(".seg");
      seg.classList.toggle("has-errors", errors > 0);
      seg.classList.toggle("has-warnings", errors === 0 && warnings > 0);
    }
    // The counts come localized from the server, with their plural forms.
    function setTotals(body) {
      const e = document.getElementById("total-errors"), w = document.getElementById("total-warnings");
      if (e && body.errors_text) { e.dataset.count = body.errors; e.textContent = body.errors_text; }
      if (w && body.warnings_text) { w.dataset.count = body.warnings; w.textContent = body.warnings_text; }
    }

    // A conflict keeps the translator's text in the box and shows the
    // other text beside it: take theirs, or save mine on top of it.
    function showConflict(form, c) {
      const ta = form.querySelector("textarea");
      const box = document.createElement("div");
      box.className = "conflict";
      box.setAttribute("role", "alert");
      const p = document.createElement("p");
      p.textContent = msg("Conflict").replace("{by}", c.changed_by || "?");
      const q = document.createElement("blockquote");
      q.className = "theirs";
      q.lang = ta.lang;
      q.dir = ta.dir;
      q.textContent = c.current_text;
      const theirs = document.createElement("button");
      theirs.type = "button";
      theirs.className = "take-theirs";
      theirs.textContent = msg("TakeTheirs");
      const mine = document.createElement("button");
      mine.type = "button";
      mine.className = "keep-mine";
      mine.textContent = msg("KeepMine");
      const base = form.querySelector("input[name=base_draft]");
      theirs.addEventListener("click", () => {
        base.value = c.current_draft;
        ta.dataset.server = c.current_text;
        ta.value = c.current_text;
        localStorage.removeItem(key(form.dataset.id));
        mark(form, false);
        clearConflict(form);
      });
      mine.addEventListener("click", () => {
        base.value = c.current_draft;
        save(form);
      });
      box.append(p, q, theirs, document.createTextNode(" "), mine);
      form.querySelector(".segstatus").after(box);
      form.querySelector(".state").textContent = msg("Unsaved");
    }
    function clearConflict(form) {
      form.querySelectorAll(".conflict").forEach((b) => b.remove());
    }

    document.addEventListener("keydown", (ev) => {
      const inText = ev.target.matches && ev.target.matches("textarea, input, select");
      const form = ev.target.closest && ev.target.closest("form.tgt");
      if (ev.key === "?" && !inText) {
        const help = document.getElementById("help");
        if (help) { help.open = !help.open; ev.preventDefault(); }
        return;
      }
      if (ev.altKey && (ev.key === "ArrowDown" || ev.key === "ArrowUp")) {
        move(ev.key === "ArrowDown" ? 1 : -1);
        ev.preventDefault();
        return;
      }
      if (!form) return;
      if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") { save(form, true); ev.preventDefault(); }
      else if ((ev.ctrlKey || ev.metaKey) && (ev.key === "s" || ev.key === "S")) { save(form); ev.preventDefault(); }
      else if (ev.altKey && (ev.code === "KeyC")) {
        const b = form.querySelector(".copy-source");
        if (b) { b.click(); ev.preventDefault(); }
      } else if (ev.altKey && /^Digit[1-9]$/.test(ev.code)) {
        const b = form.querySelectorAll(".take")[Number(ev.code.slice(5)) - 1];
        if (b) { b.click(); ev.preventDefault(); }
      } else if (ev.altKey && ev.code === "KeyI") {
        const chip = form.closest(".seg").querySelector(".chip");
        if (chip) { chip.click(); ev.preventDefault(); }
      }
    });
  }

  // Lists refresh themselves while work happens (every N seconds, only
  // while the page is visible).
  function initRefresh(el) {
    const secs = Number(el.dataset.refresh);
    if (!secs) return;
    setInterval(async () => {
      if (document.hidden) return;
      try {
        const res = await fetch(location.href, { credentials: "same-origin" });
        if (!res.ok) return;
        const doc = new DOMParser().parseFromString(await res.text(), "text/html");
        const fresh = doc.getElementById(el.id);
        if (fresh) { el.replaceChildren(...fresh.childNodes); }
      } catch (e) { /* try again next time */ }
    }, secs * 1000);
  }
})();
