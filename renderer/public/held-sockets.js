/*
 * Web mode: opens the app's two WebSockets (/api and /rxdb) as soon as this script arrives (async: it holds up nothing),
 * while the app's scripts still download, parse and run (a few hundred ms). Until the app takes a socket over
 * (renderer/src/api/held-sockets.ts) every event it gets is kept, so the app sees them all, in order. The handshakes —
 * which the browser makes one at a time per server, and which the host answers only once its code has loaded — are
 * then done by the time the app asks for its first data. A plain script (not a module): it must not wait for the app's
 * bundle. In Electron (window.frontdesk, set by the preload) and without a token it does nothing.
 */
(function holdSockets() {
  // The app ran first (this script came late) and opened its own sockets: it set the registry, empty.
  if (window.frontdeskHeldSockets || window.frontdesk || (location.protocol !== 'http:' && location.protocol !== 'https:')) return;
  var token = new URL(location.href).searchParams.get('token') || sessionStorage.getItem('frontdesk.token');
  if (!token) return;
  var held = {};
  ['/api', '/rxdb'].forEach(function (path) {
    var url = new URL(path, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = '';
    url.searchParams.set('token', token);
    var socket = new WebSocket(url.toString());
    var events = [];
    var keep = function (event) {
      events.push(event);
    };
    ['open', 'message', 'error', 'close'].forEach(function (type) {
      socket.addEventListener(type, keep);
    });
    held[path] = { socket: socket, events: events, keep: keep };
  });
  window.frontdeskHeldSockets = held;
  // For `npm run bench:ui`'s start breakdown (renderer/src/app/start-marks.ts).
  performance.mark('frontdesk:sockets_opened');
  // A tab's first use of sessionStorage, and of localStorage, waits for the browser process to hand the page that
  // storage (in fresh tabs 4-48 ms and 1-19 ms at load ~10). Here that wait overlaps the app's code arriving and
  // compiling; otherwise it came on the way to the first day: main.tsx takes the token from sessionStorage before the
  // database opens, and the shell reads the language, colour scheme and remembered location from localStorage.
  try {
    sessionStorage.getItem('frontdesk.token');
    localStorage.getItem('frontdesk.language');
  } catch {
    // Storage refused (a locked-down browser): the app meets the same refusal and says so.
  }
})();
