// Charts of the Insights page. Each chart's data is a JSON block next to its canvas (the
// CSP allows no inline script); clicking a bar or point opens the feedback list of the
// voices behind it, the link the server put beside each value.
(function () {
  "use strict";
  var PALETTE = ["#2457c5", "#c2410c", "#1a7f37", "#8a6d00", "#7c3aed", "#0e7490"];
  var MOODS = { negative: "#b42318", neutral: "#c9a227", positive: "#1a7f37" };

  function dataset(d, i, spec) {
    var colour = MOODS[d.colour] || PALETTE[i % PALETTE.length];
    var out = { label: d.label, data: d.data, backgroundColor: colour, borderColor: colour };
    if (d.kind === "line" || spec.type === "line") {
      out.type = "line";
      out.fill = false;
      // Monotone curves never swing past their points (no count below zero between days).
      out.cubicInterpolationMode = "monotone";
      out.pointRadius = 3;
      out.pointHoverRadius = 6;
      out.backgroundColor = colour;
    } else {
      out.borderRadius = 3;
      out.maxBarThickness = 48;
    }
    if (d.axis === "percent") {
      out.yAxisID = "percent";
    }
    return out;
  }

  function build(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var datasets = spec.datasets.map(function (d, i) { return dataset(d, i, spec); });
    if (spec.target !== undefined && spec.target !== null) {
      datasets.push({
        type: "line", label: spec.target_label, borderColor: "#5b6475", borderDash: [6, 4],
        borderWidth: 1.5, pointRadius: 0, pointHitRadius: 0, fill: false,
        data: spec.labels.map(function () { return spec.target; })
      });
    }
    var scales = { y: { beginAtZero: true, ticks: { precision: 0 } } };
    if (spec.stacked) {
      scales.x = { stacked: true };
      scales.y.stacked = true;
    }
    if (spec.max) {
      scales.y.max = spec.max;
    }
    if (spec.datasets.some(function (d) { return d.axis === "percent"; })) {
      scales.percent = { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false },
                         ticks: { callback: function (v) { return v + " %"; } } };
    }
    function linkOf(element) {
      var d = spec.datasets[element.datasetIndex];
      return d && d.links ? d.links[element.index] || "" : "";
    }
    // The first linked value under the pointer: a point without a list of its own (a
    // running share drawn over a bar) lets the bar beneath it answer the click.
    function linkAt(event, elements, chart) {
      var hits = elements.concat(chart.getElementsAtEventForMode(
        event, "point", { intersect: true }, true));
      for (var i = 0; i < hits.length; i += 1) {
        var link = linkOf(hits[i]);
        if (link) {
          return link;
        }
      }
      return "";
    }
    var chart = new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "nearest", intersect: true },
        spanGaps: false,
        scales: scales,
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        onClick: function (event, elements, chart) {
          var link = linkAt(event, elements, chart);
          if (link) {
            window.location.assign(link);
          }
        },
        onHover: function (event, elements, chart) {
          var link = linkAt(event, elements, chart);
          canvas.classList.toggle("clickable", Boolean(link));
        }
      }
    });
    canvas.kliento = chart;
  }

  function start() {
    document.querySelectorAll("canvas[data-chart]").forEach(build);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
