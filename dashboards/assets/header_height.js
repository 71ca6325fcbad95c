// The header is one line at 1920 px and wraps on narrower screens; what sits under it (the
// chart and its side panel) takes the rest of the screen through --sw-header-h, kept to the
// header's drawn height here.
(function () {
    function follow(header) {
        var set = function () {
            document.documentElement.style.setProperty("--sw-header-h", header.offsetHeight + "px");
        };
        new ResizeObserver(set).observe(header);
        set();
    }
    var found = document.querySelector(".sw-header");
    if (found) { follow(found); return; }
    var watch = new MutationObserver(function () {
        var header = document.querySelector(".sw-header");
        if (header) { watch.disconnect(); follow(header); }
    });
    watch.observe(document.documentElement, {childList: true, subtree: true});
})();
