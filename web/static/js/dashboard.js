// Whistle dashboard: draws the charts from the JSON the page carries (#dash-data) with
// Apache ECharts; a click on a bar, point or cell opens the case list of exactly that
// figure: one region, the months it counts (from and to as YYYY-MM, which the list
// reads as whole months) and its own filter. Each chart's container gets
// data-drawn="1" once drawn (the browser tests wait for it).
(function () {
  "use strict";
  function run() {
    var el = document.getElementById("dash-data");
    if (!el || !window.echarts) return;
    var d = JSON.parse(el.textContent), L = d.labels;
    var palette = ["#c0392b", "#2e86de", "#27ae60", "#f39c12"];
    function base(q) { // set, not append: one value a filter
      var p = new URLSearchParams({ from: d.from, to: d.to });
      if (d.region) p.set("region", d.region);
      Object.keys(q || {}).forEach(function (k) { p.set(k, q[k]); });
      return "/cases?" + p.toString();
    }
    function draw(id, option, onClick) {
      var node = document.getElementById(id);
      if (!node) return;
      var chart = echarts.init(node, null, { renderer: "canvas" });
      option.color = palette;
      option.animation = false;
      chart.setOption(option);
      if (onClick) chart.on("click", onClick);
      window.addEventListener("resize", function () { chart.resize(); });
      node.setAttribute("data-drawn", "1");
    }
    // the way to the current month, counted so far, is shaded and labelled "本月至今" so its partial
    // figure is not read as a fall; the tooltip gives each month's change on the one before
    var soFar = d.soFar >= 0 ? [[{ xAxis: d.monthLabels[Math.max(d.soFar - 1, 0)] }, { xAxis: d.monthLabels[d.soFar] }]] : [];
    draw("chart-trend", {
      tooltip: { trigger: "axis", formatter: function (ps) {
        var i = ps[0].dataIndex, lines = [ps[0].axisValueLabel + (i === d.soFar ? " · " + L.soFar : "")];
        ps.forEach(function (p) { lines.push(p.marker + p.seriesName + " " + p.value); });
        if (d.mom[i] != null) lines.push(L.mom + " " + (d.mom[i] > 0 ? "+" : "") + d.mom[i].toFixed(1) + "%");
        return lines.join("<br>");
      } },
      legend: { data: [L.received, L.closed], top: 0 },
      grid: { left: 48, right: 16, bottom: 32, top: 40 },
      xAxis: { type: "category", data: d.monthLabels }, yAxis: { type: "value" },
      series: [{ name: L.received, type: "line", data: d.received,
        markArea: { silent: true, itemStyle: { color: "rgba(120,120,120,0.12)" },
          label: { show: true, position: "insideTop", color: "#555", formatter: L.soFar }, data: soFar } },
        { name: L.closed, type: "line", data: d.closed }]
    }, function (p) {
      var m = d.months[p.dataIndex];
      window.location.href = base({ from: m, to: m });
    });
    // The rates come as percent already rounded to one decimal by the server
    // (domain.Percent); toFixed(1) only writes back the ".0" a whole number loses in
    // JSON, so the tooltip reads as the table below it (52.9%, 50.0%, — for none).
    function rates(id, s, param) {
      draw(id, {
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v.toFixed(1) + "%"; } },
        legend: { data: [L.response, L.resolution, L.satisfaction], top: 0 },
        grid: { left: 48, right: 16, bottom: 96, top: 40 },
        xAxis: { type: "category", data: s.names, axisLabel: { rotate: 40, interval: 0, width: 90, overflow: "truncate" } },
        yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        series: [{ name: L.response, type: "bar", data: s.response }, { name: L.resolution, type: "bar", data: s.resolution },
          { name: L.satisfaction, type: "bar", data: s.satisfaction }]
      }, function (p) {
        var q = {}; q[param] = s.codes[p.dataIndex];
        window.location.href = base(q);
      });
    }
    rates("chart-region", d.byRegion, "region");
    rates("chart-org", d.byOrg, "lead");
    var max = 1;
    d.heat.cells.forEach(function (c) { if (c[2] > max) max = c[2]; });
    draw("chart-heat", {
      tooltip: { position: "top" },
      grid: { left: 120, right: 16, bottom: 72, top: 16 },
      xAxis: { type: "category", data: d.monthLabels, splitArea: { show: true } },
      yAxis: { type: "category", data: d.heat.gridLabels, splitArea: { show: true } },
      visualMap: { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0, itemHeight: 80,
        inRange: { color: ["#fff5f0", "#fcbba1", "#fb6a4a", "#a50f15"] } },
      series: [{ name: L.overdue, type: "heatmap", data: d.heat.cells, label: { show: false } }]
    }, function (p) {
      var m = d.months[p.data[0]], g = d.heat.grids[p.data[1]];
      window.location.href = base({ region: g, from: m, to: m, overdue: "1" });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run); else run();
})();
