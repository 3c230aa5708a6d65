// Claim panel: a refused stale edit comes back as HTTP 409 with the panel showing
// what changed and who changed it. htmx 2 does not swap 4xx answers by default, so
// let 409 through, then move focus to the conflict message so it is read out.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr && event.detail.xhr.status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
document.addEventListener("htmx:afterSwap", function () {
  var conflict = document.querySelector(".claim-panel .cp-conflict");
  if (conflict) { conflict.focus(); }
});
