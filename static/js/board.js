// Review board: drag-and-drop on top of each card's Move form, cards moved to their
// new column after an htmx move, a live refresh of changed columns, and the claim
// panel beside the board on wide screens. Everything here is an enhancement: the
// forms and links work without it.
(function () {
  "use strict";

  // Cards' "Move or assign" disclosures work only with this script (they load their
  // forms): the stylesheet shows them once it runs.
  document.documentElement.classList.add("has-board-js");

  const POLL_MS = 5000;
  const WIDE = window.matchMedia("(min-width: 1100px)");
  const REDUCED_MOTION = window.matchMedia("(prefers-reduced-motion: reduce)");
  const origins = new Map(); // claim id -> where a dragged card came from
  const pending = new Set(); // columns known to be stale, waiting for a quiet moment
  let etag = null;

  function boardBody() {
    return document.getElementById("board-body");
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function announce(text) {
    const live = document.getElementById("live-region");
    if (!live) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 30);
  }

  function showCardAlert(card, text) {
    let alert = card.querySelector(".card-alert");
    if (!alert) {
      alert = document.createElement("p");
      alert.className = "card-alert";
      alert.setAttribute("role", "alert");
      card.querySelector(".card-meta").after(alert);
    }
    alert.textContent = text;
    announce(text);
  }

  // ------------------------------------------------------------ placing cards

  // A card whose status no longer matches its column goes where it belongs: back to
  // the spot it was dragged from when a move was refused, else to the top of its
  // new column (or away, when the board's filters hide that column).
  function placeCard(card) {
    const list = card.parentElement;
    const status = card.dataset.status;
    const origin = origins.get(card.id);
    origins.delete(card.id);
    if (list && list.dataset.status === status) return;
    if (origin && origin.list.isConnected && origin.list.dataset.status === status) {
      origin.list.insertBefore(card, origin.list.children[origin.index] || null);
      return;
    }
    const target = document.getElementById("cards-" + status);
    if (target) target.prepend(card);
    else card.remove();
  }

  function snapBack(card) {
    const origin = origins.get(card.id);
    if (origin) origin.list.insertBefore(card, origin.list.children[origin.index] || null);
    origins.delete(card.id);
  }

  // ------------------------------------------------------------ drag and drop

  function boardUrl() {
    const body = boardBody();
    return (body && body.dataset.boardUrl) || "/board/";
  }

  // A card's Move/Assign forms load when its "Move or assign" opens; `then` runs
  // once they are there (at once if they already are).
  function withTools(card, then) {
    const tools = card.querySelector(".card-tools");
    if (!tools) return;
    if (tools.querySelector("form.card-move")) { tools.open = true; then(); return; }
    card.addEventListener("htmx:afterSettle", function ready() {
      if (!tools.querySelector("form.card-move")) return;
      card.removeEventListener("htmx:afterSettle", ready);
      then();
    });
    if (tools.open) loadTools(tools);
    else tools.open = true; // the toggle event loads them
  }

  // The card carries only its move URL (claims/<pk>/move/); its forms are at
  // claims/<pk>/tools/, next to it.
  function toolsUrl(card) {
    return card.dataset.moveUrl ? card.dataset.moveUrl.replace(/move\/$/, "tools/") : "";
  }

  function loadTools(tools) {
    const card = tools.closest(".board-card");
    const body = tools.querySelector(".card-tools-body");
    if (!card || !body || !toolsUrl(card) || tools.dataset.loading) return;
    if (body.querySelector("form.card-move")) return;
    tools.dataset.loading = "1";
    htmx.ajax("GET", toolsUrl(card) + "?next=" + encodeURIComponent(boardUrl()), {
      source: tools,
      target: body,
      swap: "innerHTML",
    }).finally(function () { delete tools.dataset.loading; });
  }

  // "toggle" does not bubble: listen in the capture phase for every card.
  document.addEventListener("toggle", function (event) {
    const tools = event.target;
    if (tools.classList && tools.classList.contains("card-tools") && tools.open) loadTools(tools);
  }, true);

  function onDrop(event) {
    const card = event.item;
    if (event.from === event.to) return;
    const toStatus = event.to.dataset.status;
    const fromStatus = card.dataset.status;
    origins.set(card.id, { list: event.from, index: event.oldIndex });
    const needsReason = toStatus === "dismissed" ||
      (toStatus === "researching" && (fromStatus === "in_review" || fromStatus === "approved"));
    const needsReviewer = toStatus === "assigned" && fromStatus === "unassigned";
    if (!card.dataset.moveUrl || needsReason || needsReviewer) {
      // These moves need more than a drop: put the card back and open its form.
      snapBack(card);
      withTools(card, function () {
        const form = card.querySelector("form.card-move");
        if (needsReviewer) {
          showCardAlert(card, "Choose a reviewer in the card's Assignee list and press Assign.");
          focusField(card, "select[name=reviewer]");
        } else if (needsReason && form) {
          form.elements.status.value = toStatus;
          showCardAlert(card, "Give a reason in the card's Reason field, then press Move.");
          focusField(card, "input[name=reason]");
        }
      });
      return;
    }
    card.classList.add("is-saving");
    htmx.ajax("POST", card.dataset.moveUrl, {
      source: card,
      target: card,
      swap: "outerHTML",
      headers: { "X-CSRFToken": csrfToken() },
      values: {
        status: toStatus,
        version: card.dataset.version,
        next: boardUrl(),
        reason: "",
      },
    }).catch(function () {
      card.classList.remove("is-saving");
      snapBack(card);
      showCardAlert(card, "The move could not be saved (network error). Try again.");
    });
  }

  function focusField(card, selector) {
    const field = card.querySelector(selector);
    if (field) field.focus();
  }

  function initSortable() {
    if (!window.Sortable) return;
    document.querySelectorAll(".card-list").forEach(function (list) {
      if (list.dataset.sortable) return;
      list.dataset.sortable = "1";
      window.Sortable.create(list, {
        group: "board",
        sort: false,
        draggable: ".board-card[data-move-url]",
        filter: "a, button, input, select, textarea, summary, label, .card-tools",
        preventOnFilter: false,
        forceFallback: true,
        fallbackTolerance: 4,
        animation: REDUCED_MOTION.matches ? 0 : 150,
        ghostClass: "is-ghost",
        chosenClass: "is-chosen",
        onStart: function () { document.body.classList.add("is-dragging"); },
        onEnd: function (event) {
          document.body.classList.remove("is-dragging");
          onDrop(event);
        },
      });
    });
  }

  // ------------------------------------------------------------ htmx answers

  document.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    // Refusals (403, 409, 422) are swapped in by the htmx-config responseHandling.
    // The live refresh never replaces a column someone is working in.
    if (target && target.classList && target.classList.contains("column-body") && isBusy(target)) {
      event.detail.shouldSwap = false;
      pending.add(target.dataset.status);
    }
    // A card's answer can arrive after a column refresh already brought the saved card:
    // the answer's copy wins, so the card is on the board once (one id, one element).
    if (target && target.id && target.id.indexOf("card-") === 0 && event.detail.shouldSwap) {
      document.querySelectorAll("[id='" + target.id + "']").forEach(function (copy) {
        if (copy !== target) copy.remove();
      });
    }
  });

  let savedScroll = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    if (target && target.classList && target.classList.contains("column-body") && event.detail.shouldSwap) {
      savedScroll = { x: window.scrollX, y: window.scrollY, left: columnsScroller() ? columnsScroller().scrollLeft : 0,
        open: Array.from(target.querySelectorAll(".card-tools[open]")).map(function (d) { return d.closest(".board-card").id; }) };
    }
  });

  function columnsScroller() {
    return document.querySelector(".board-columns");
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    const target = event.detail.target;
    if (!target) return;
    if (target.id && target.id.indexOf("card-") === 0) {
      const card = document.getElementById(target.id);
      if (!card) return;
      placeCard(card);
      const source = event.detail.requestConfig && event.detail.requestConfig.elt;
      const alert = card.querySelector(".card-alert");
      if (alert) announce(alert.textContent);
      // Keyboard users keep their place: focus follows the card they moved.
      if (source && source.closest && source.closest("form")) {
        const summary = card.querySelector("summary");
        if (summary) summary.focus();
        // If a later part of this answer settles over the place focus was in, focus
        // falls to the page: give it back to the card (never take it from elsewhere).
        const cardId = card.id;
        window.setTimeout(function () {
          const lost = !document.activeElement || document.activeElement === document.body;
          const again = document.querySelector("[id='" + cardId + "'] summary");
          if (lost && again) again.focus();
        }, 60);
      }
    } else if (target.classList && target.classList.contains("column-body") && savedScroll) {
      savedScroll.open.forEach(function (id) {
        const tools = document.querySelector("#" + id + " .card-tools");
        if (tools) tools.open = true;
      });
      window.scrollTo(savedScroll.x, savedScroll.y);
      if (columnsScroller()) columnsScroller().scrollLeft = savedScroll.left;
      savedScroll = null;
    }
    // The claim panel's focus (its heading, or its first error) is set by accessibility.js.
  });

  document.addEventListener("htmx:afterSettle", initSortable);

  // The claim panel opens beside the board on wide screens (one listener for every
  // card's link, rather than htmx attributes on each); on a phone, or with a
  // modifier key, the link is followed as a normal page.
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("a.card-text");
    if (link && WIDE.matches && !event.defaultPrevented && event.button === 0 &&
        !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey)) {
      event.preventDefault();
      htmx.ajax("GET", link.href, { source: link, target: "#claim-panel", swap: "innerHTML" });
      return;
    }
    if (event.target.closest && event.target.closest(".board-side-close")) {
      const panel = document.getElementById("claim-panel");
      if (panel) panel.innerHTML = "";
    }
  });

  // ------------------------------------------------------------ live updates

  // A column is busy while someone is typing, choosing or dragging in it: its
  // refresh waits, so nothing half-typed or half-selected is lost.
  function isBusy(column) {
    if (document.body.classList.contains("is-dragging")) return true;
    if (column.contains(document.activeElement)) return true;
    if (column.querySelector(".is-saving")) return true;
    return Array.from(column.querySelectorAll("input, select, textarea")).some(function (field) {
      if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
      if (field.tagName === "SELECT") {
        // With no option marked selected, the browser shows the first one.
        const initial = Array.from(field.options).find(function (o) { return o.defaultSelected; }) || field.options[0];
        return Boolean(initial) && field.value !== initial.value;
      }
      return field.type !== "hidden" && field.value !== field.defaultValue;
    });
  }

  function refreshColumns() {
    const body = boardBody();
    if (!body) return;
    Array.from(pending).forEach(function (status) {
      const column = document.getElementById("column-body-" + status);
      if (!column) { pending.delete(status); return; }
      if (isBusy(column)) return;
      pending.delete(status);
      const shown = column.querySelectorAll(".board-card").length;
      const query = body.dataset.query ? body.dataset.query + "&" : "";
      const url = column.closest(".board-column").dataset.columnUrl + "?" + query + "refresh=1&limit=" + shown;
      // Each column is its own request source, so refreshes do not queue behind each other.
      htmx.ajax("GET", url, { source: column, target: column, swap: "innerHTML" });
    });
  }

  document.addEventListener("board-changed", function (event) {
    const statuses = (event.detail && event.detail.statuses) || [];
    statuses.forEach(function (status) { pending.add(status); });
    refreshColumns();
  });

  function poll() {
    const body = boardBody();
    if (!body || document.hidden) return;
    const headers = { Accept: "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    const url = body.dataset.stampUrl + (body.dataset.query ? "?" + body.dataset.query : "");
    fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 304 || !response.ok) return null;
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        if (data) {
          document.querySelectorAll(".column-body").forEach(function (column) {
            const stamp = data.columns[column.dataset.status];
            // An empty stamp (first change since the page opened) counts as changed.
            if (stamp !== undefined && stamp !== column.dataset.stamp) {
              column.dataset.stamp = stamp;
              pending.add(column.dataset.status);
            }
          });
        }
        if (pending.size) {
          document.body.dispatchEvent(new CustomEvent("board-changed", { bubbles: true, detail: { statuses: [] } }));
        }
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  function start() {
    initSortable();
    // The page was rendered at this version: the first poll is a 304 unless it changed.
    const body = boardBody();
    if (body && body.dataset.etag) etag = '"' + body.dataset.etag + '"';
    window.setInterval(poll, POLL_MS);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
