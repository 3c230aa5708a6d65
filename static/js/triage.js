// Article page: turn a text selection in the article body into body offsets for
// "Add claim from selection", and let htmx show 409/422 answers (stale edits).
// Every character of the body sits in one <span data-start data-end>, so a DOM
// position maps to a body offset as the span's start plus the offset in its text.
(function () {
  "use strict";

  function spanOf(node) {
    var el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    return el && el.closest ? el.closest("[data-start]") : null;
  }

  function pointOffset(container, node, offset) {
    if (node === container) {
      var child = container.childNodes[offset];
      return child && child.dataset ? Number(child.dataset.start) : Number(container.dataset.length);
    }
    var span = spanOf(node);
    if (!span || !container.contains(span)) return null;
    if (node.nodeType === Node.TEXT_NODE) return Number(span.dataset.start) + offset;
    return offset === 0 ? Number(span.dataset.start) : Number(span.dataset.end);
  }

  function selectedSpan(container) {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    if (!range.intersectsNode(container)) return null;
    // A selection that starts or ends outside the body is cut at the body's edges.
    var start = container.contains(range.startContainer)
      ? pointOffset(container, range.startContainer, range.startOffset) : 0;
    var end = container.contains(range.endContainer)
      ? pointOffset(container, range.endContainer, range.endOffset) : Number(container.dataset.length);
    if (start === null || end === null || end <= start) return null;
    return { start: start, end: end };
  }

  function update() {
    var container = document.getElementById("article-body");
    var form = document.getElementById("claim-add-form");
    if (!container || !form) return;
    var span = selectedSpan(container);
    if (!span) return; // a collapsed selection (e.g. clicking the button) keeps the last one
    form.elements.start.value = span.start;
    form.elements.end.value = span.end;
    form.elements.text.value = container.textContent.slice(span.start, span.end);
    var live = document.getElementById("live-region");
    if (live) live.textContent = "Selected " + (span.end - span.start) + " characters. Use “Add claim from selection” to keep them as a claim.";
  }

  var timer = null;
  document.addEventListener("selectionchange", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 120);
  });

  // Typing the text by hand means "find it": forget the selection's offsets.
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.id === "claim-add-form" && event.target.name === "text") {
      form.elements.start.value = "";
      form.elements.end.value = "";
    }
  });

  // Split form: clicking a word of the sentence splits before it. The select
  // (and the "type where it begins" field) stay for keyboards and no JavaScript.
  function markSplit(form, at) {
    var words = form.querySelectorAll(".split-sentence .split-word");
    var first = "", second = "", seen = false;
    words.forEach(function (word) {
      var here = word.dataset.at === String(at);
      word.classList.toggle("is-split-here", here);
      if (here) seen = true;
      if (seen) second += word.textContent; else first += word.textContent;
    });
    var preview = form.querySelector(".split-preview");
    if (preview) {
      preview.textContent = seen
        ? "First part: “" + first.trim() + "” · Second part: “" + second.trim() + "”"
        : "";
    }
  }

  document.addEventListener("click", function (event) {
    var word = event.target.closest ? event.target.closest(".split-sentence .split-point") : null;
    if (!word) return;
    var form = word.closest("form");
    if (!form || !form.elements.at) return;
    form.elements.at.value = word.dataset.at;
    if (form.elements.second) form.elements.second.value = "";
    markSplit(form, word.dataset.at);
  });

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.classList.contains("split-form") && event.target.name === "at") {
      markSplit(form, event.target.value);
    }
  });

})();
