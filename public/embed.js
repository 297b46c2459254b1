// Zhinan 指南 embed loader, for government websites that show our guides, search and
// progress lookup in an iframe:
//   <iframe data-zhinan src="https://zhinan.example.gov.cn/embed/g/{code}" title="办事指南"
//           style="width:100%;border:0;height:480px"></iframe>
//   <script src="https://zhinan.example.gov.cn/embed.js" async></script>
// Each frame reports its content height; this sets the frame to it, so the page scrolls
// as one. Messages are taken only from our own origin and only for a frame on this page.
(function () {
  var script = document.currentScript;
  var ours = script ? new URL(script.src).origin : '';
  addEventListener('message', function (event) {
    if (event.origin !== ours || !event.data || event.data.zhinan !== 'height') return;
    var height = Number(event.data.height);
    if (!(height > 0 && height < 100000)) return;
    var frames = document.querySelectorAll('iframe[data-zhinan]');
    for (var i = 0; i < frames.length; i += 1) {
      if (frames[i].contentWindow === event.source) frames[i].style.height = Math.ceil(height) + 'px';
    }
  });
  function ask(frame) {
    try {
      frame.contentWindow.postMessage({ zhinan: 'ask' }, ours);
    } catch (e) {
      // A frame removed meanwhile has nothing to report.
    }
  }
  // A frame that loaded before this script (it is async) sent its height to nobody: ask
  // every frame again. Chromium does not lay out a frame from another site while it is
  // off screen, so a frame below the fold misses changes of its width (the first layout
  // of a frame is often at a default width; a phone turns): ask it again when its width
  // changes and when it scrolls into view. A frame still loading ignores the question
  // and reports when it has loaded. Frames are those on the page when this script runs;
  // a site that adds frames later loads this script after them.
  var frames = document.querySelectorAll('iframe[data-zhinan]');
  var widths = new Map();
  var resized = window.ResizeObserver && new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var width = Math.round(entry.contentRect.width);
      if (widths.get(entry.target) !== width) {
        widths.set(entry.target, width);
        ask(entry.target);
      }
    });
  });
  var shown = window.IntersectionObserver && new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) ask(entry.target);
    });
  });
  for (var i = 0; i < frames.length; i += 1) {
    if (resized) resized.observe(frames[i]);
    else ask(frames[i]);
    if (shown) shown.observe(frames[i]);
  }
})();
