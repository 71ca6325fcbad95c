// When the user last did something in this tab (components/keepalive.py reads it to decide
// whether to swap the session's token for a fresh one).
window.swLastActivity = 0;  // loading a page is not activity; what the user does next is
["mousemove", "mousedown", "keydown", "wheel", "touchstart"].forEach(function (kind) {
    window.addEventListener(kind, function () { window.swLastActivity = Date.now(); },
                            {passive: true, capture: true});
});
