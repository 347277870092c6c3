/* The indicator explorer: filters, sorts and pages the dataset's facts (stbook-facts.json,
 * written by stbook/sphinxext/explorer.py with each fact's chart or table and its source line) in the
 * browser. The filters, the sort and the page are kept in the address (?q=&report=&theme=
 * &qualifier=&sort=&dir=&page=), so a view can be shared; the rows a filter keeps download
 * as CSV. */
(function () {
  var root = document.getElementById('explorer');
  if (!root) { return; }
  var PAGE = 50;  // rows a page
  var MARK = {exact: '', more_than: '> ', at_least: '≥ ', nearly: '≲ ', approximately: '≈ ', at_most: '≤ '};
  var WORD = {exact: 'exactly', more_than: 'more than', at_least: 'at least', nearly: 'nearly', approximately: 'about', at_most: 'at most'};
  var FILTERS = {q: 'ex-q', report: 'ex-report', theme: 'ex-theme', qualifier: 'ex-qualifier'};
  var CSV_COLUMNS = ['id', 'report', 'section', 'heading', 'indicator_en', 'indicator_zh', 'theme',
                     'value', 'unit', 'qualifier', 'period', 'scope', 'quote', 'where', 'source'];
  var $ = function (id) { return document.getElementById(id); };
  var base = document.documentElement.dataset.content_root || '../';
  var facts = [], shown = [], state = {sort: '', dir: 'asc', page: 1};

  function number(v) {
    var a = Math.abs(v), units = [[1e12, ' tn'], [1e9, ' bn'], [1e6, ' m']];
    for (var i = 0; i < units.length; i++) {
      if (a >= units[i][0]) { return (+(v / units[i][0]).toFixed(2)).toLocaleString('en') + units[i][1]; }
    }
    return (+v.toFixed(2)).toLocaleString('en');
  }
  function label(f) {
    var m = MARK[f.qualifier] || '';
    if (f.unit === 'yuan') { return m + '¥' + number(f.value); }
    if (f.unit === 'usd') { return m + 'US$' + number(f.value); }
    if (f.unit === 'percent') { return m + number(f.value) + '%'; }
    return m + number(f.value) + (f.short_unit && f.short_unit !== f.unit ? ' ' + f.short_unit : '');
  }
  function options(select, values) {
    values.forEach(function (v) {
      var o = document.createElement('option'); o.value = v[0]; o.textContent = v[1]; select.appendChild(o);
    });
  }
  function cell(tr, text, name) {
    var td = document.createElement('td'); td.textContent = text; td.setAttribute('data-label', name);
    tr.appendChild(td); return td;
  }
  function link(parent, href, text, cls) {
    var a = document.createElement('a'); a.href = base + href; a.textContent = text; a.className = cls;
    parent.appendChild(a); return a;
  }

  // Sorting: numbers by value, the report by report then section, text in the reader's locale.
  function sectionKey(s) { return s.split('.').map(function (p) { return /^\d+$/.test(p) ? ('000' + p).slice(-3) : p; }).join('.'); }
  function key(f, column) {
    if (column === 'value') { return f.value; }
    if (column === 'report') { return f.report + ' ' + sectionKey(f.section); }
    return String(f[column] || '');
  }
  function compare(column) {
    return function (a, b) {
      var x = key(a, column), y = key(b, column);
      return typeof x === 'number' ? x - y : x.localeCompare(y, 'zh');
    };
  }

  function read() {
    // the view asked for by the address
    var params = new URLSearchParams(window.location.search);
    Object.keys(FILTERS).forEach(function (k) {
      var el = $(FILTERS[k]), v = params.get(k) || '';
      if (el.tagName === 'SELECT' && !Array.prototype.some.call(el.options, function (o) { return o.value === v; })) { v = ''; }
      el.value = v;
    });
    var sort = params.get('sort') || '';
    state.sort = root.querySelector('th[data-key="' + sort + '"]') ? sort : '';
    state.dir = params.get('dir') === 'desc' ? 'desc' : 'asc';
    state.page = Math.max(1, parseInt(params.get('page'), 10) || 1);
  }
  function write() {
    var params = new URLSearchParams();
    Object.keys(FILTERS).forEach(function (k) { var v = $(FILTERS[k]).value.trim(); if (v) { params.set(k, v); } });
    if (state.sort) { params.set('sort', state.sort); params.set('dir', state.dir); }
    if (state.page > 1) { params.set('page', state.page); }
    var search = params.toString();
    history.replaceState(null, '', window.location.pathname + (search ? '?' + search : '') + window.location.hash);
  }

  function filter() {
    var q = $('ex-q').value.trim().toLowerCase(), report = $('ex-report').value,
        theme = $('ex-theme').value, qualifier = $('ex-qualifier').value;
    var words = q ? q.split(/\s+/) : [];
    shown = facts.filter(function (f) {
      if (report && String(f.report) !== report) { return false; }
      if (theme && f.theme !== theme) { return false; }
      if (qualifier && f.qualifier !== qualifier) { return false; }
      return words.every(function (w) { return f.haystack.indexOf(w) >= 0; });
    });
    if (state.sort) {
      shown.sort(compare(state.sort));
      if (state.dir === 'desc') { shown.reverse(); }
    }
  }

  function render() {
    filter();
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    state.page = Math.min(state.page, pages);
    var body = $('ex-rows'); body.textContent = '';
    shown.slice((state.page - 1) * PAGE, state.page * PAGE).forEach(function (f) {
      var tr = document.createElement('tr'); tr.setAttribute('data-value', f.value);
      cell(tr, f.report + ' §' + f.section, 'Report');
      var name = cell(tr, f.indicator_en, 'Indicator'), zh = document.createElement('span');
      zh.className = 'ex-zh'; zh.lang = 'zh'; zh.textContent = f.indicator_zh; name.appendChild(zh);
      var td = cell(tr, label(f), 'Value'); td.title = WORD[f.qualifier] || '';
      if (f.qualifier !== 'exact') { td.className = 'qualified'; }
      cell(tr, f.period, 'Period'); cell(tr, f.scope, 'Scope');
      var quote = cell(tr, f.quote, '原文'); quote.lang = 'zh';
      var links = document.createElement('span'); links.className = 'ex-links';
      if (f.where) { link(links, f.where, f.where.indexOf('#fig-') >= 0 ? 'chart' : 'table', 'ex-where'); }
      if (f.source) { link(links, f.source, 'in the report', 'ex-source'); }
      quote.appendChild(links);
      body.appendChild(tr);
    });
    root.querySelectorAll('th[data-key]').forEach(function (th) {
      var k = th.getAttribute('data-key');
      if (k === state.sort) { th.setAttribute('aria-sort', state.dir === 'desc' ? 'descending' : 'ascending'); }
      else { th.removeAttribute('aria-sort'); }
    });
    $('ex-count').textContent = shown.length + ' of ' + facts.length + ' facts';
    $('ex-page').textContent = 'Page ' + state.page + ' of ' + pages;
    $('ex-prev').disabled = state.page <= 1;
    $('ex-next').disabled = state.page >= pages;
    $('ex-csv').disabled = shown.length === 0;
    write();
  }

  function csv() {
    var quote = function (v) { v = String(v === undefined || v === null ? '' : v); return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; };
    var absolute = function (href) { return href ? new URL(base + href, window.location.href).href : ''; };
    var lines = [CSV_COLUMNS.join(',')].concat(shown.map(function (f) {
      return CSV_COLUMNS.map(function (c) {
        return quote(c === 'where' || c === 'source' ? absolute(f[c]) : f[c]);
      }).join(',');
    }));
    // with a byte-order mark, so that spreadsheet programs read the Chinese as UTF-8
    var blob = new Blob(['\ufeff' + lines.join('\r\n') + '\r\n'], {type: 'text/csv;charset=utf-8'});
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob); a.download = 'stbook-facts-filtered.csv';
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  fetch(base + '_static/stbook-facts.json').then(function (r) { return r.json(); }).then(function (data) {
    facts = data.facts;
    facts.forEach(function (f) {
      f.haystack = [f.indicator_en, f.indicator_zh, f.quote, f.scope, f.heading, f.id].join(' ').toLowerCase();
    });
    options($('ex-report'), data.reports.map(function (r) { return [String(r), String(r)]; }));
    options($('ex-theme'), data.themes);
    options($('ex-qualifier'), Object.keys(WORD).map(function (k) { return [k, WORD[k]]; }));
    read();
    Object.keys(FILTERS).forEach(function (k) {
      $(FILTERS[k]).addEventListener('input', function () { state.page = 1; render(); });
    });
    root.querySelectorAll('th[data-key] button').forEach(function (button) {
      button.addEventListener('click', function () {
        var k = button.parentNode.getAttribute('data-key');
        state.dir = state.sort === k && state.dir === 'asc' ? 'desc' : 'asc';
        state.sort = k; state.page = 1; render();
      });
    });
    function turn(by) {
      // the new page from its first row: the table's top in view if it had scrolled away
      state.page += by; render();
      var bar = root.querySelector('.explorer-bar');
      if (bar.getBoundingClientRect().top < 0) { bar.scrollIntoView({block: 'start'}); }
    }
    $('ex-prev').addEventListener('click', function () { turn(-1); });
    $('ex-next').addEventListener('click', function () { turn(1); });
    $('ex-csv').addEventListener('click', csv);
    render();
    root.setAttribute('data-ready', 'yes');
  }).catch(function (err) {
    $('ex-count').textContent = 'The dataset could not be loaded: ' + err;
    console.error(err);
  });
})();
