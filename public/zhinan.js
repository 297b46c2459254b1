// Zhinan 指南 custom elements, for government websites that prefer no iframe:
//   <zhinan-guide code="11411523005962416Q-000701001"></zhinan-guide>
//   <zhinan-search hall="xinxian"></zhinan-search>
//   <script src="https://zhinan.example.gov.cn/zhinan.js" defer></script>
// Each renders into its own shadow root (the host's CSS cannot reach in, ours cannot leak
// out) from the JSON API of the origin this script came from, which answers the
// websites listed in EMBED_ORIGINS. The host's Content-Security-Policy must allow that
// origin in script-src and connect-src. All catalog text is set as text, never as markup.
(function () {
  'use strict';
  var script = document.currentScript;
  var ORIGIN = script ? new URL(script.src).origin : '';
  var CSS = [
    ':host{all:initial!important;display:block!important;color:#1a1a1a!important;',
    'font:16px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif!important;text-align:left!important}',
    '*{box-sizing:border-box}',
    '.card{background:#fff;border:1px solid #dde2e8;border-radius:10px;padding:1rem}',
    'h2{font-size:1.3rem;line-height:1.3;margin:0 0 .6rem;color:#1a1a1a}',
    'h3{font-size:1.05rem;margin:1rem 0 .3rem}',
    'dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem .8rem;margin:0}',
    'dt{color:#4d5560}dd{margin:0}',
    'ul{margin:.2rem 0;padding-left:1.2rem}li{margin:.2rem 0}',
    '.note{color:#4d5560;font-size:.92rem}',
    'a{color:#0a4f96}a:focus-visible,input:focus-visible,button:focus-visible{outline:3px solid #d9480f;outline-offset:2px}',
    '.more{display:inline-flex;align-items:center;min-height:44px;margin-top:.6rem;font-weight:600}',
    'form{display:flex;gap:.5rem;flex-wrap:wrap}',
    'label{flex-basis:100%;font-weight:600}',
    'input{flex:1;min-width:12rem;min-height:44px;font:inherit;padding:.3rem .6rem;border:2px solid #5a6470;border-radius:8px}',
    'button{min-height:44px;padding:.3rem 1rem;font:inherit;font-weight:600;border:0;border-radius:8px;background:#0b5cad;color:#fff;cursor:pointer}',
    '.results{list-style:none;padding:0}.results li{padding:.4rem 0;border-bottom:1px solid #eef1f4}',
    '.results a{display:inline-flex;min-height:44px;align-items:center;font-weight:600}',
    '.status{color:#4d5560}',
  ].join('');
  var WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

  function el(tag, attrs) {
    var node = document.createElement(tag);
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    for (var i = 2; i < arguments.length; i += 1) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.append(child);
    }
    return node;
  }

  /** The shadow root, styled: a constructed sheet where the browser has them (no inline
   *  style for the host's CSP to refuse), else a style element. */
  function rootOf(host) {
    var root = host.shadowRoot || host.attachShadow({ mode: 'open' });
    if (!root.adoptedStyleSheets || root.adoptedStyleSheets.length === 0) {
      try {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        root.adoptedStyleSheets = [sheet];
      } catch (e) {
        root.__style = el('style', {}, CSS);
      }
    }
    return root;
  }

  function show(host, content) {
    var root = rootOf(host);
    root.replaceChildren();
    if (root.__style) root.append(root.__style);
    root.append(content);
  }

  function limitText(limit) {
    if (!limit || limit.value === 0) return '即办（当场办结）';
    return '受理后' + limit.value + (limit.unit === 'working_days' ? '个工作日' : '日') + '内办结';
  }

  function hoursText(place) {
    var lines = (place.hours || []).map(function (span) {
      var days = span.weekdays.map(function (d) { return '周' + WEEKDAYS[d - 1]; }).join('、');
      return days + ' ' + span.open + '–' + span.close;
    });
    return lines.join('；') + (place.hours_note ? '（' + place.hours_note + '）' : '');
  }

  function phoneList(field) {
    var list = el('ul', {});
    String(field || '').split(/[\n、；;，,/]/).forEach(function (part) {
      part = part.trim();
      if (!part) return;
      var at = part.search(/[：:]/);
      var label = at >= 0 ? part.slice(0, at).trim() : '';
      var number = at >= 0 ? part.slice(at + 1).trim() : part;
      var dial = number.replace(/转/, ',').replace(/[^0-9,+]/g, '');
      list.append(el('li', {}, label ? label + '：' : '', el('a', { href: 'tel:' + dial }, number)));
    });
    return list;
  }

  function materialItem(m) {
    var count = [];
    if (m.originals) count.push('原件' + m.originals + '份');
    if (m.copies) count.push('复印件' + m.copies + '份');
    return el('li', {},
      m.name,
      count.length ? el('span', { class: 'note' }, '（' + count.join('，') + '）') : null,
      m.needed_when ? el('div', { class: 'note' }, '仅当：' + m.needed_when) : null,
      m.optional_when ? el('div', { class: 'note' }, '可免情形：' + m.optional_when) : null);
  }

  function guideView(item) {
    var everyone = item.materials.filter(function (m) { return !m.needed_when; });
    var some = item.materials.filter(function (m) { return m.needed_when; });
    var page = ORIGIN + '/g/' + encodeURIComponent(item.code);
    return el('article', { class: 'card', 'aria-label': '办事指南：' + item.name, lang: 'zh-CN' },
      el('h2', {}, item.name),
      el('dl', {},
        el('dt', {}, '办理时限'), el('dd', {}, limitText(item.promised_limit)),
        el('dt', {}, '到现场'), el('dd', {}, item.visits === 0 ? '不用到现场' : '最多' + item.visits + '次'),
        el('dt', {}, '办理地点'), el('dd', {}, item.place.address + (item.window ? '，' + item.window : '')),
        el('dt', {}, '办公时间'), el('dd', {}, hoursText(item.place)),
        el('dt', {}, '咨询电话'), el('dd', {}, phoneList(item.consult_phone))),
      el('h3', {}, '需要带的材料（共' + everyone.length + '项）'),
      el('ul', {}, ...everyone.map(materialItem)),
      some.length ? el('h3', {}, '特定情形才需要的材料') : null,
      some.length ? el('ul', {}, ...some.map(materialItem)) : null,
      el('a', { class: 'more', href: page, target: '_blank', rel: 'noopener' }, '查看完整办事指南'));
  }

  function failure(text) {
    return el('p', { class: 'card status', role: 'alert' }, text);
  }

  class ZhinanGuide extends HTMLElement {
    static get observedAttributes() { return ['code']; }
    connectedCallback() { this.load(); }
    attributeChangedCallback() { if (this.isConnected) this.load(); }
    load() {
      var host = this;
      var code = (this.getAttribute('code') || '').trim();
      show(host, el('p', { class: 'status', role: 'status' }, '正在加载办事指南…'));
      fetch(ORIGIN + '/api/v1/items/' + encodeURIComponent(code))
        .then(function (res) {
          if (res.status === 404) throw new Error('没有找到这个事项，请拨打 12345 咨询。');
          if (!res.ok) throw new Error('办事指南暂时无法显示，请稍后再试。');
          return res.json();
        })
        .then(function (item) { show(host, guideView(item)); host.dispatchEvent(new Event('zhinan-ready')); })
        .catch(function (e) {
          show(host, failure(e instanceof TypeError ? '网络连接失败，请稍后再试。' : e.message));
        });
    }
  }

  var searchSeq = 0;
  class ZhinanSearch extends HTMLElement {
    connectedCallback() {
      var host = this;
      var id = 'zhinan-q-' + (searchSeq += 1);
      var input = el('input', { id: id, type: 'search', name: 'q', autocomplete: 'off', enterkeyhint: 'search' });
      var status = el('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
      var list = el('ul', { class: 'results' });
      var form = el('form', { role: 'search' },
        el('label', { for: id }, '搜索办事事项（如：营业执照、身份证、卖房）'), input, el('button', { type: 'submit' }, '搜索'));
      var wrap = el('section', { class: 'card', lang: 'zh-CN' }, form, status, list);
      show(host, wrap);
      var timer = 0;
      var asked = 0;
      function run() {
        var q = input.value.trim();
        var mine = (asked += 1);
        if (!q) { list.replaceChildren(); status.textContent = ''; return; }
        var url = ORIGIN + '/api/v1/search?q=' + encodeURIComponent(q);
        var hall = host.getAttribute('hall');
        if (hall) url += '&hall=' + encodeURIComponent(hall);
        fetch(url)
          .then(function (res) { if (!res.ok) throw new Error(); return res.json(); })
          .then(function (body) {
            if (mine !== asked) return;
            list.replaceChildren.apply(list, body.results.map(function (r) {
              return el('li', {}, el('a', { href: r.url, target: '_blank', rel: 'noopener' }, r.name),
                el('div', { class: 'note' }, r.department + (r.matched ? ' · 匹配：' + r.matched : '')));
            }));
            status.textContent = body.total === 0 ? '没有找到，换个说法试试，或拨打 12345 咨询。' : '找到 ' + body.total + ' 项';
            host.dispatchEvent(new Event('zhinan-ready'));
          })
          .catch(function () { if (mine === asked) status.textContent = '搜索暂时无法使用，请稍后再试。'; });
      }
      input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 250); });
      form.addEventListener('submit', function (ev) { ev.preventDefault(); clearTimeout(timer); run(); });
    }
  }

  if (!customElements.get('zhinan-guide')) customElements.define('zhinan-guide', ZhinanGuide);
  if (!customElements.get('zhinan-search')) customElements.define('zhinan-search', ZhinanSearch);
})();
