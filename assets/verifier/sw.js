/*
 * spravka — the verification page's service worker (issue 19): registered only on https. Network
 * first, so that a phone online always gets the newest published list; the copy kept from the
 * last visit answers when the phone is offline. A certificate's payload is in the URL's fragment,
 * which never reaches this worker or the server.
 */
'use strict';
var CACHE = 'spravka-verifier';
self.addEventListener('install', function (event) { self.skipWaiting(); });
self.addEventListener('activate', function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener('fetch', function (event) {
  if (event.request.method !== 'GET') return;
  event.respondWith(
    fetch(event.request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(event.request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(event.request, { ignoreSearch: true }).then(function (kept) {
        return kept || Response.error();
      });
    })
  );
});
