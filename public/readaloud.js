// 朗读: reads the guide on screen aloud in zh-CN with the browser's own speech synthesis,
// in the order a person needs it — what it is, how long, how many visits, how it can be
// done, fees, what to bring (each material with its condition), where and when, phones.
// No audio is downloaded; the service worker keeps this file, so a saved guide reads
// offline too. The controls (outside the app's root, so the app's take-over keeps them)
// show only on a guide and only when the browser has a Chinese voice.
(function () {
  'use strict';
  var synth = window.speechSynthesis;
  var bar = document.getElementById('read-aloud');
  if (!synth || !bar || typeof window.SpeechSynthesisUtterance !== 'function') return;
  var start = document.getElementById('read-aloud-start');
  var pause = document.getElementById('read-aloud-pause');
  var stop = document.getElementById('read-aloud-stop');
  var voice = null;

  function chineseVoice() {
    var voices = synth.getVoices() || [];
    var best = null;
    for (var i = 0; i < voices.length; i += 1) {
      var lang = String(voices[i].lang || '').toLowerCase().replace('_', '-');
      if (lang === 'zh-cn') return voices[i];
      if (!best && lang.indexOf('zh') === 0) best = voices[i];
    }
    return best;
  }

  function text(el) {
    return el ? el.textContent.replace(/\s+/g, ' ').trim() : '';
  }

  // Phone numbers digit by digit ("1 2 3 4 5", not 一万两千…).
  function digits(s) {
    return s.replace(/\d{3,}(?:-\d+)*/g, function (n) { return n.split('').join(' '); });
  }

  /** What to read, in order: one utterance per piece, so pausing stops at a piece. */
  function pieces() {
    var title = document.getElementById('guide-title');
    if (!title) return [];
    var out = [text(title) + '。'];
    var kind = document.querySelector('.badges span');
    if (kind) out.push(text(kind) + '。');
    var facts = document.querySelectorAll('.facts .fact');
    for (var i = 0; i < facts.length; i += 1) {
      var parts = [];
      var dds = facts[i].querySelectorAll('dd');
      for (var k = 0; k < dds.length; k += 1) parts.push(text(dds[k]));
      out.push(text(facts[i].querySelector('dt')) + '：' + parts.join('，') + '。');
    }
    var materials = document.querySelectorAll('section[aria-labelledby=materials-title] .material');
    if (materials.length) out.push('需要带的材料，共 ' + materials.length + ' 项。');
    for (var m = 0; m < materials.length; m += 1) {
      var said = ['第 ' + (m + 1) + ' 项，' + text(materials[m].querySelector('.material-name'))];
      var meta = materials[m].querySelectorAll('.material-meta, .material-when, .material-note');
      for (var n = 0; n < meta.length; n += 1) said.push(text(meta[n]).replace(/ · /g, '，'));
      out.push(said.join('，') + '。');
    }
    var where = document.querySelector('section[aria-labelledby=where-title]');
    if (where) {
      var place = [text(where.querySelector('.where-main'))];
      var ps = where.querySelectorAll(':scope > p:not(.where-main):not(.progress-link)');
      for (var p = 0; p < ps.length; p += 1) place.push(text(ps[p]));
      out.push('到哪里办：' + place.filter(Boolean).join('，') + '。');
      var hours = where.querySelectorAll('ul.plain:not(.phones) li');
      var lines = [];
      for (var h = 0; h < hours.length; h += 1) lines.push(text(hours[h]));
      if (lines.length) out.push('办公时间：' + lines.join('；') + '。');
      var phones = where.querySelectorAll('ul.phones li');
      for (var f = 0; f < phones.length; f += 1) out.push(digits(text(phones[f])) + '。');
    }
    return out.filter(function (s) { return s.length > 1; });
  }

  function show(state) {
    bar.dataset.state = state;
    start.hidden = state !== 'idle';
    pause.hidden = state === 'idle';
    stop.hidden = state === 'idle';
    pause.textContent = state === 'paused' ? '继续' : '暂停';
    pause.setAttribute('aria-pressed', state === 'paused' ? 'true' : 'false');
  }

  function refresh() {
    voice = voice || chineseVoice();
    var onGuide = Boolean(document.getElementById('guide-title'));
    bar.hidden = !(voice && onGuide);
    if (bar.hidden && bar.dataset.state !== 'idle') {
      synth.cancel();
      show('idle');
    }
  }

  start.addEventListener('click', function () {
    synth.cancel();
    var list = pieces();
    list.forEach(function (piece, i) {
      var u = new window.SpeechSynthesisUtterance(piece);
      u.lang = 'zh-CN';
      if (voice) u.voice = voice;
      u.rate = document.documentElement.classList.contains('elderly') ? 0.8 : 0.95;
      if (i === list.length - 1) u.onend = function () { show('idle'); };
      synth.speak(u);
    });
    show(list.length ? 'reading' : 'idle');
  });
  pause.addEventListener('click', function () {
    if (bar.dataset.state === 'paused') {
      synth.resume();
      show('reading');
    } else {
      synth.pause();
      show('paused');
    }
  });
  stop.addEventListener('click', function () {
    synth.cancel();
    show('idle');
    start.focus();
  });

  show('idle');
  if (typeof synth.addEventListener === 'function') synth.addEventListener('voiceschanged', refresh);
  // The app swaps pages in place: the controls follow what is on screen.
  var root = document.getElementById('app');
  if (root && window.MutationObserver) new MutationObserver(refresh).observe(root, { childList: true, subtree: true });
  refresh();
})();
