/* The indicator explorer: filters the dataset's facts (stbook-facts.json) in the browser. */
(function () {
  var root = document.getElementById('explorer');
  if (!root) { return; }
  var MARK = {exact: '', more_than: '> ', at_least: '≥ ', nearly: '≲ ', approximately: '≈ ', at_most: '≤ '};
  var WORD = {exact: 'exactly', more_than: 'more than', at_least: 'at least', nearly: 'nearly', approximately: 'about', at_most: 'at most'};
  var $ = function (id) { return document.getElementById(id); };
  var facts = [];

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
  function cell(tr, text) { var td = document.createElement('td'); td.textContent = text; tr.appendChild(td); }

  function render() {
    var q = $('ex-q').value.trim().toLowerCase(), report = $('ex-report').value,
        theme = $('ex-theme').value, qualifier = $('ex-qualifier').value;
    var words = q ? q.split(/\s+/) : [];
    var rows = facts.filter(function (f) {
      if (report && String(f.report) !== report) { return false; }
      if (theme && f.theme !== theme) { return false; }
      if (qualifier && f.qualifier !== qualifier) { return false; }
      return words.every(function (w) { return f.haystack.indexOf(w) >= 0; });
    });
    var body = $('ex-rows'); body.textContent = '';
    rows.slice(0, 500).forEach(function (f) {
      var tr = document.createElement('tr');
      cell(tr, f.report + ' §' + f.section); cell(tr, f.indicator_en); cell(tr, f.indicator_zh);
      var td = document.createElement('td'); td.textContent = label(f); td.title = WORD[f.qualifier] || '';
      if (f.qualifier !== 'exact') { td.className = 'qualified'; }
      tr.appendChild(td);
      cell(tr, f.period); cell(tr, f.scope); cell(tr, f.quote);
      body.appendChild(tr);
    });
    $('ex-count').textContent = rows.length + ' of ' + facts.length + ' facts' +
      (rows.length > 500 ? ' (the first 500 shown)' : '');
  }

  var url = (document.documentElement.dataset.content_root || '../') + '_static/stbook-facts.json';
  fetch(url).then(function (r) { return r.json(); }).then(function (data) {
    facts = data.facts;
    facts.forEach(function (f) {
      f.haystack = [f.indicator_en, f.indicator_zh, f.quote, f.scope, f.heading, f.id].join(' ').toLowerCase();
    });
    options($('ex-report'), data.reports.map(function (r) { return [String(r), String(r)]; }));
    options($('ex-theme'), data.themes);
    options($('ex-qualifier'), Object.keys(WORD).map(function (k) { return [k, WORD[k]]; }));
    ['ex-q', 'ex-report', 'ex-theme', 'ex-qualifier'].forEach(function (id) {
      $(id).addEventListener('input', render);
    });
    var params = new URLSearchParams(window.location.search);
    if (params.get('q')) { $('ex-q').value = params.get('q'); }
    render();
    root.setAttribute('data-ready', 'yes');
  }).catch(function (err) {
    $('ex-count').textContent = 'The dataset could not be loaded: ' + err;
    console.error(err);
  });
})();
