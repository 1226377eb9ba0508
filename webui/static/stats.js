// The dashboard's twelve-month chart (Chart.js, vendored): received and closed per Thai month.
// The table under it holds the same numbers, so the page says everything without this script.
(function () {
  const canvas = document.getElementById("trend-chart");
  const data = JSON.parse(document.getElementById("trend-data").textContent);
  if (!canvas || typeof Chart === "undefined") return;
  const font = { family: getComputedStyle(document.body).fontFamily };
  Chart.defaults.font.family = font.family;
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.received_label, data: data.received, backgroundColor: "#3b6ea5" },
        { label: data.closed_label, data: data.closed, backgroundColor: "#3a9a5b" },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom" } },
    },
  });
  canvas.dataset.drawn = "1";
})();
