// hmn report: draws the activation maps (canvas.heat, one byte a cell in data-v) and runs the search box over
// window.HMN_INDEX ([id, caption or "neuron", href] rows). Builds every element with textContent: no HTML from data.
(function () {
  function colour(v) {
    // black -> red -> yellow -> white ("hot"), alpha rising with the value
    var t = v / 255;
    return [Math.min(255, 3 * v), Math.max(0, Math.min(255, 3 * v - 255)), Math.max(0, 3 * v - 510), 40 + 215 * t];
  }
  document.querySelectorAll('canvas.heat').forEach(function (c) {
    var hex = c.getAttribute('data-v') || '';
    var ctx = c.getContext('2d');
    var img = ctx.createImageData(c.width, c.height);
    for (var i = 0; i < c.width * c.height; i++) {
      var rgba = colour(parseInt(hex.substr(2 * i, 2), 16) || 0);
      for (var k = 0; k < 4; k++) img.data[4 * i + k] = rgba[k];
    }
    ctx.putImageData(img, 0, 0);
    c.setAttribute('data-drawn', 'true');
  });
  var input = document.getElementById('search');
  var list = document.getElementById('results');
  if (!input || !list || !window.HMN_INDEX) return;
  input.addEventListener('input', function () {
    var q = input.value.trim().toLowerCase();
    list.textContent = '';
    if (!q) return;
    var shown = 0;
    for (var i = 0; i < window.HMN_INDEX.length && shown < 40; i++) {
      var row = window.HMN_INDEX[i];
      var text = (row[0] + ' ' + (row[1] || '')).toLowerCase();
      if (text.indexOf(q) < 0) continue;
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = row[2];
      a.textContent = row[1] === 'neuron' ? 'neuron ' + row[0] : row[0] + ': ' + (row[1] || '');
      li.appendChild(a);
      list.appendChild(li);
      shown++;
    }
  });
})();
