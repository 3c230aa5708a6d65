// Accessibility glue for htmx swaps, on every page:
// - focus follows a swap: to the first error in what came back, else to the heading of
//   the section the person was working in, else to the new content's first heading or
//   field. A swap nobody asked for (a live refresh, a poll) never takes focus.
// - on the board, the live region says in words which cards moved while you watched
//   ("Claim 12 moved to In review by rosa").
(function () {
  "use strict";

  // In this order: an edit conflict, then the first field with an error, then any other error.
  const ERRORS = [".cp-conflict", "[aria-invalid='true']", "[role='alert']:not(:empty)"];
  const HEADINGS = "h1, h2, h3, h4";
  const FIELDS = "input:not([type='hidden']):not([disabled]), select:not([disabled]), textarea:not([disabled])";
  // Panels take focus when they open, even though the click that opened them was elsewhere.
  const PANELS = "#claim-panel";

  const pending = new WeakMap(); // request -> what the page looked like before its swap

  function focusOn(element) {
    if (!element) return false;
    if (!element.matches("a[href], button, input, select, textarea, summary, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    // Scroll only as far as needed: a panel's heading stays below its Close button.
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "nearest" });
    return document.activeElement === element;
  }

  // The heading of the section holding the element the person used, so that after
  // "Add source" focus lands on "Sources (2)", not at the top of the panel.
  function sectionHeadingId(trigger, root) {
    let node = trigger && trigger.closest ? trigger.closest("section, [aria-labelledby]") : null;
    while (node && root.contains(node)) {
      const labelled = node.getAttribute("aria-labelledby");
      if (labelled && document.getElementById(labelled)) return labelled;
      const heading = node.querySelector(":scope > " + HEADINGS.split(", ").join(", :scope > "));
      if (heading && heading.id) return heading.id;
      node = node.parentElement ? node.parentElement.closest("section, [aria-labelledby]") : null;
    }
    return null;
  }

  // Where focus was when the request left (a disabled button loses focus meanwhile).
  document.addEventListener("htmx:beforeRequest", function (event) {
    const target = event.detail.target;
    if (!target || !event.detail.xhr) return;
    const trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    const used = trigger && trigger.contains && trigger.contains(document.activeElement);
    pending.set(event.detail.xhr, {
      hadFocus: target.contains(document.activeElement) || used,
      // A link or button that fetched a form into another place ("Edit" on a claim).
      opened: Boolean(used && trigger.matches("a, button") && !target.contains(trigger)),
      panel: target.matches(PANELS),
      headingId: sectionHeadingId(trigger, target),
    });
  });

  // Every part of an answer settles with its own event, the out-of-band parts first: act
  // once, after the last one, on the main content.
  document.addEventListener("htmx:afterSettle", function (event) {
    const asked = event.detail.xhr && pending.get(event.detail.xhr);
    if (!asked) return;
    asked.root = event.target;
    if (asked.scheduled) return;
    asked.scheduled = true;
    window.setTimeout(function () {
      pending.delete(event.detail.xhr);
      moveFocus(asked);
    }, 0);
  });

  function moveFocus(asked) {
    const root = asked.root;
    if (!root.isConnected) return;
    // Board cards keep their own focus rule (board.js: back to the card's summary).
    if (root.closest(".board-columns")) return;
    // Only swaps the person asked for move focus; polls and live refreshes never do.
    if (!(asked.panel || asked.hadFocus)) return;
    const error = ERRORS.map(function (selector) { return root.querySelector(selector); }).find(Boolean);
    if (focusOn(error)) return;
    if (asked.panel) {
      focusOn(root.querySelector(HEADINGS));
      return;
    }
    if (asked.opened) {
      focusOn(root.querySelector(HEADINGS) || root.querySelector(FIELDS));
      return;
    }
    const section = asked.headingId && document.getElementById(asked.headingId);
    if (section && (root.contains(section) || section.contains(root))) {
      focusOn(section);
      return;
    }
    focusOn(root.querySelector(HEADINGS) || root.querySelector(FIELDS));
  }

  // Closing the board's side panel returns focus to the card link that opened it.
  let opener = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    const elt = event.detail.elt;
    if (elt && elt.classList && elt.classList.contains("card-text")) opener = elt.closest(".board-card").id;
  });
  document.addEventListener("click", function (event) {
    if (!(event.target.closest && event.target.closest(".board-side-close"))) return;
    const card = opener && document.getElementById(opener);
    const link = card && card.querySelector("a.card-text");
    if (link) link.focus();
  });

  // ------------------------------------------------------------ board announcements

  // Each card's status as this page last showed it. Entries outlive the card leaving a
  // column, so a card that left one column before it reached the next still "moved".
  const known = new Map();
  const before = new WeakMap(); // column being refreshed -> `known` as it was just before
  let queued = [];
  let timer = null;

  function columnLabel(status) {
    const name = document.querySelector("#column-" + status + " .column-name");
    return name ? name.textContent.trim() : status;
  }

  function remember() {
    document.querySelectorAll(".board-card[data-claim]").forEach(function (card) {
      known.set(card.dataset.claim, card.dataset.status);
    });
  }

  function say(sentence) {
    queued.push(sentence);
    window.clearTimeout(timer);
    // Columns refresh one request each: gather them into one announcement.
    timer = window.setTimeout(function () {
      const live = document.getElementById("live-region");
      if (!live) return;
      live.textContent = queued.join(" ");
      queued = [];
    }, 400);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    const column = event.detail.target;
    if (column && column.classList && column.classList.contains("column-body")) before.set(column, new Map(known));
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    const column = event.target;
    const previous = column.classList && column.classList.contains("column-body") && before.get(column);
    if (previous) {
      before.delete(column);
      column.querySelectorAll(".board-card[data-claim]").forEach(function (card) {
        const was = previous.get(card.dataset.claim);
        if (was === card.dataset.status) return;
        const by = card.dataset.changedBy ? " by " + card.dataset.changedBy : "";
        // A card never shown here may have sat on a page not loaded yet: say where it is now.
        const verb = was ? "moved to " : "now in ";
        say("Claim " + card.dataset.claim + " " + verb + columnLabel(card.dataset.status) + by + ".");
      });
    }
    if (document.getElementById("board-body")) remember();
  });

  function start() {
    if (document.getElementById("board-body")) remember();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
