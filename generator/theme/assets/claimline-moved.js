/* claimline: links to timeline entries that have moved.
   A timeline year with more than month_split entries is split into month pages, and a long story into year
   pages, so an entry a link names (timeline/2021/#claim-x) may have moved to a page of its own. The list of
   those pages says which entries each holds (data-cl-anchors); when the page has no element with the link's
   id, the reader is sent on to the page that now holds it. */
(function () {
  "use strict";
  var id;
  try {
    id = decodeURIComponent(window.location.hash.slice(1));
  } catch (error) {
    return;
  }
  if (!id || document.getElementById(id)) return;
  var holders = document.querySelectorAll("[data-cl-anchors]");
  for (var i = 0; i < holders.length; i++) {
    if (holders[i].getAttribute("data-cl-anchors").split(" ").indexOf(id) === -1) continue;
    var link = holders[i].querySelector("a[href]");
    if (link) window.location.replace(link.href.split("#")[0] + "#" + encodeURIComponent(id));
    return;
  }
})();
