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
  // A frame that loaded before this script (it is async) sent its height to nobody:
  // ask every frame for it again. A frame still loading ignores this and reports later.
  var frames = document.querySelectorAll('iframe[data-zhinan]');
  for (var i = 0; i < frames.length; i += 1) {
    try {
      frames[i].contentWindow.postMessage({ zhinan: 'ask' }, ours);
    } catch (e) {
      // A frame removed meanwhile has nothing to report.
    }
  }
})();
