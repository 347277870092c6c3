/* The indicator explorer: filters, sorts and pages the dataset's facts (stbook-facts.json,
 * written by stbook/sphinxext/explorer.py with each fact's chart or table and its source line) in the
 * browser. The filters, the sort and the page are kept in the address (?q=&report=&theme=
 * &qualifier=&sort=&dir=&page=), so a view can be shared; the rows a filter keeps download
 * as CSV.
 *
 * Every string it shows a reader is written _('English'): the English is the message, extracted
 * into the gettext catalogue scripts.po (stbook/sphinxext/messages.py) and, in another
 * edition, looked up in the translations its pages load (window.STBOOK_MESSAGES). Numbers are
 * written as the page's language writes them (<html lang>: 4.47 tn in English, 4.47万亿 in
 * Chinese). The CSV keeps the data's own column names and values in every edition. */
(function () {
  var root = document.getElementById('explorer');
  if (!root) { return; }
  var MESSAGES = window.STBOOK_MESSAGES || {};
  function _(message) { return MESSAGES[message] || message; }
  function pgettext(context, message) { return MESSAGES[context + '\u0004' + message] || message; }
  // A unit's label after a value (the data's short unit, "{0} firms"): its translation, if any
  // (stbook/sphinxext/messages.py: the context "unit").
  function unit(value, shortUnit) {
    var template = '{0} ' + shortUnit;
    return fill(MESSAGES['unit\u0004' + template] || template, [value]);
  }
  function fill(template, values) {
    return template.replace(/\{(\d+)\}/g, function (m, i) { return values[+i]; });
  }
  var LANG = document.documentElement.lang || 'en';
  var CHINESE = /^zh/i.test(LANG);
  var PAGE = 50;  // rows a page
  var MARK = {exact: '{0}', more_than: _('> {0}'), at_least: _('≥ {0}'), nearly: _('≲ {0}'),
              approximately: _('≈ {0}'), at_most: _('≤ {0}')};
  var WORD = {exact: _('exactly'), more_than: _('more than'), at_least: _('at least'),
              nearly: _('nearly'), approximately: _('about'), at_most: _('at most')};
  // The names of large numbers: English counts in thousands (million, billion), Chinese in
  // ten thousands (万, 亿, 万亿).
  var MAGNITUDES = CHINESE ?
    [[1e12, _('{0} trillion')], [1e8, _('{0} hundred million')], [1e4, _('{0} ten thousand')]] :
    [[1e12, _('{0} tn')], [1e9, _('{0} bn')], [1e6, _('{0} m')]];
  // The second name of an indicator: its Chinese name in English, its English one in Chinese.
  var NAME = CHINESE ? 'indicator_zh' : 'indicator_en', OTHER = CHINESE ? 'indicator_en' : 'indicator_zh';
  var FILTERS = {q: 'ex-q', report: 'ex-report', theme: 'ex-theme', qualifier: 'ex-qualifier'};
  var CSV_COLUMNS = ['id', 'report', 'section', 'heading', 'indicator_en', 'indicator_zh', 'theme',
                     'value', 'unit', 'qualifier', 'period', 'scope', 'quote', 'where', 'source'];
  var $ = function (id) { return document.getElementById(id); };
  var base = document.documentElement.dataset.content_root || '../';
  var facts = [], shown = [], state = {sort: '', dir: 'asc', page: 1};

  // A period as people write it, not the dataset's grammar (stbook.formatting.period_words):
  // '2023-01..2023-09' -> 'Jan–Sep 2023' (2023年1月至9月), 'end 2023' -> 'end of 2023' (2023年末).
  var MONTHS = _('Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec').split(' ');
  function when(w) {
    return w.length === 4 ? pgettext('year', '{0}').replace('{0}', w)
      : fill(pgettext('month', '{1} {0}'), [w.slice(0, 4), MONTHS[+w.slice(5, 7) - 1]]);
  }
  function period(text) {
    var m = /^(end |cumulative )?(\S*?)(?:\.\.(\S+))?$/.exec(text);
    if (!m) { return text; }
    var kind = (m[1] || '').trim(), start = m[3] === undefined ? '' : m[2], end = m[3] || m[2];
    if (kind === 'end') { return fill(_('end of {0}'), [when(end)]); }
    if (kind === 'cumulative' && !start) { return fill(_('cumulative to {0}'), [when(end)]); }
    if (!start) { return when(end); }
    var span = start.slice(0, 4) === end.slice(0, 4) && start.length > 4 && end.length > 4
      ? fill(_('{0}–{1} {2}'), [MONTHS[+start.slice(5, 7) - 1], MONTHS[+end.slice(5, 7) - 1], end.slice(0, 4)])
      : fill(_('{0}–{1}'), [when(start), when(end)]);
    return kind === 'cumulative' ? fill(_('cumulative, {0}'), [span]) : span;
  }
  function decimal(v) { return (+v.toFixed(2)).toLocaleString(LANG); }
  function number(v) {
    var a = Math.abs(v);
    for (var i = 0; i < MAGNITUDES.length; i++) {
      if (a >= MAGNITUDES[i][0]) { return fill(MAGNITUDES[i][1], [decimal(v / MAGNITUDES[i][0])]); }
    }
    return decimal(v);
  }
  function label(f) {
    var v = number(f.value), shown;
    if (f.unit === 'yuan') { shown = fill(_('¥{0}'), [v]); }
    else if (f.unit === 'usd') { shown = fill(_('US${0}'), [v]); }
    else if (f.unit === 'percent') { shown = fill(_('{0}%'), [v]); }
    else { shown = f.short_unit && f.short_unit !== f.unit ? unit(v, f.short_unit) : v; }
    return fill(MARK[f.qualifier] || '{0}', [shown]);
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
    if (column === 'indicator_en') { return f[NAME]; }  // the column shows (and sorts by) this name
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
      var tr = document.createElement('tr'); tr.setAttribute('data-value', f.value); tr.setAttribute('data-id', f.id);
      cell(tr, f.report + ' §' + f.section, _('Report'));
      // the second name styled as stbook.css styles .ex-zh
      var name = cell(tr, f[NAME], _('Indicator')), other = document.createElement('span');
      other.className = 'ex-zh'; other.lang = CHINESE ? 'en' : 'zh'; other.textContent = f[OTHER];
      name.appendChild(other);
      var td = cell(tr, label(f), _('Value')); td.title = WORD[f.qualifier] || '';
      if (f.qualifier !== 'exact') { td.className = 'qualified'; }
      cell(tr, period(f.period), _('Period'));
      cell(tr, f.scope, _('Scope')).lang = 'en';
      var quote = cell(tr, f.quote, _('原文 (source)')); quote.lang = 'zh';
      var links = document.createElement('span'); links.className = 'ex-links';
      if (f.where) { link(links, f.where, f.where.indexOf('#fig-') >= 0 ? _('chart') : _('table'), 'ex-where'); }
      if (f.source) { link(links, f.source, _('in the report'), 'ex-source'); }
      quote.appendChild(links);
      body.appendChild(tr);
    });
    root.querySelectorAll('th[data-key]').forEach(function (th) {
      var k = th.getAttribute('data-key');
      if (k === state.sort) { th.setAttribute('aria-sort', state.dir === 'desc' ? 'descending' : 'ascending'); }
      else { th.removeAttribute('aria-sort'); }
    });
    // (nothing found: said where the count is, which a screen reader announces)
    $('ex-count').textContent = shown.length ?
      fill(_('{0} of {1} facts'), [shown.length.toLocaleString(LANG), facts.length.toLocaleString(LANG)]) :
      fill(_('None of the {0} facts matches these filters: clear the search or choose “all”.'),
           [facts.length.toLocaleString(LANG)]);
    $('ex-page').textContent = fill(_('Page {0} of {1}'), [state.page, pages]);
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
    // a theme by its name in the page's language (in English, its Chinese name beside it)
    options($('ex-theme'), CHINESE ? data.themes_zh : data.themes);
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
    $('ex-count').textContent = fill(_('The dataset could not be loaded: {0}'), [err]);
    console.error(err);
  });
})();
