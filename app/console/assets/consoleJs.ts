/**
 * The requests page's script, served as /console/assets/requests.js (no inline script under the CSP).
 * It polls /console/requests/live with the page's filters every 3 s and swaps the table body when the
 * list changed, keeping the boxes the operator ticked. Plain ES2017, no library.
 */
export const REQUESTS_JS = `'use strict';
(function () {
  var body = document.getElementById('request-rows');
  if (!body) return;
  var stamp = body.getAttribute('data-stamp');
  function ticked() {
    var ids = {};
    body.querySelectorAll('input[name="ids"]:checked').forEach(function (box) { ids[box.value] = true; });
    return ids;
  }
  function poll() {
    fetch('/console/requests/live' + window.location.search, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (data) {
        if (!data || data.stamp === stamp) return;
        var keep = ticked();
        stamp = data.stamp;
        body.innerHTML = data.rows;
        body.setAttribute('data-stamp', stamp);
        body.querySelectorAll('input[name="ids"]').forEach(function (box) { if (keep[box.value]) box.checked = true; });
      })
      .catch(function () { /* the next poll tries again */ });
  }
  setInterval(poll, 3000);
})();
`;
