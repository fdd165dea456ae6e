// Key groups: draws the statistics page's charts from #grp-data with Apache ECharts
// (each container gets data-drawn="1"), and prints the briefing from its link.
(function () {
  "use strict";
  function charts() {
    var el = document.getElementById("grp-data");
    if (!el || !window.echarts) return;
    var d = JSON.parse(el.textContent);
    var palette = ["#2e86de", "#27ae60", "#f39c12", "#c0392b", "#8e44ad", "#16a085", "#7f8c8d"];
    function draw(id, option) {
      var node = document.getElementById(id);
      if (!node) return;
      var chart = echarts.init(node, null, { renderer: "canvas" });
      option.color = palette;
      option.animation = false;
      chart.setOption(option);
      window.addEventListener("resize", function () { chart.resize(); });
      node.setAttribute("data-drawn", "1");
    }
    // A slice shows the rate the server wrote (the share of the field's subjects, as in
    // the table), never ECharts' own share of the slices.
    // The tooltip is HTML, so the option's name is escaped there.
    function label(p) { return p.name + "\n" + p.value + " (" + p.data.share + ")"; }
    function tip(p) { return echarts.format.encodeHTML(p.name + "：" + p.value + " (" + p.data.share + ")"); }
    (d.fields || []).forEach(function (f) {
      draw("chart-f-" + f.key, {
        tooltip: { trigger: "item", formatter: tip },
        series: [{ type: "pie", radius: ["35%", "65%"], label: { formatter: label },
          data: f.names.map(function (n, i) { return { name: n, value: f.values[i], share: f.shares[i] }; }) }]
      });
    });
    if (d.aid && d.aid.names) {
      draw("chart-aid", {
        tooltip: { trigger: "axis" }, grid: { left: 48, right: 48, bottom: 60, top: 30 },
        legend: { data: [d.Labels.households, d.Labels.yuan] },
        xAxis: { type: "category", data: d.aid.names, axisLabel: { rotate: 30, interval: 0 } },
        yAxis: [{ type: "value", name: d.Labels.households }, { type: "value", name: d.Labels.yuan }],
        series: [{ name: d.Labels.households, type: "bar", data: d.aid.values },
          { name: d.Labels.yuan, type: "line", yAxisIndex: 1, data: d.aidYuan.map(Number) }]
      });
    }
    if (d.regions && d.regions.names) {
      draw("chart-regions", {
        tooltip: { trigger: "axis" }, grid: { left: 48, right: 16, bottom: 60, top: 20 },
        xAxis: { type: "category", data: d.regions.names, axisLabel: { rotate: 30, interval: 0 } },
        yAxis: { type: "value" },
        series: [{ name: d.Labels.persons, type: "bar", data: d.regions.values }]
      });
    }
  }
  function printing() {
    var p = document.getElementById("print");
    if (p) p.addEventListener("click", function (e) { e.preventDefault(); window.print(); });
  }
  function run() { charts(); printing(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run); else run();
})();
