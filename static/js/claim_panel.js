// Claim panel: a refused stale edit comes back as HTTP 409 with the panel showing
// what changed and who changed it (swapped in by the htmx-config responseHandling);
// move focus to the conflict message so it is read out.
document.addEventListener("htmx:afterSwap", function () {
  var conflict = document.querySelector(".claim-panel .cp-conflict");
  if (conflict) { conflict.focus(); }
});
