"""Charts drawn with matplotlib's Agg backend (no display, safe in any thread)."""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ksales.domain.weekly import WeeklyReport
from ksales.ports.charts import ChartLabels

BAR = "#4e79a7"
LATEST = "#f28e2b"
MEAN = "#333333"


def _compact(value: float, _position: object = None) -> str:
    """A compact axis label: 750, 1.5k, 250k, 1.2M."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


class MatplotlibChartRenderer:
    """Implements `ChartRenderer`. Builds a `Figure` directly (no pyplot: no global state)."""

    def weekly(self, report: WeeklyReport, labels: ChartLabels) -> bytes:
        figure = Figure(figsize=(8, 4.5), dpi=100)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        ticks = [bar.monday.strftime("%d.%m") for bar in report.history]
        values = [float(bar.revenue) for bar in report.history]
        colors = [BAR] * (len(values) - 1) + [LATEST]
        axes.bar(range(len(values)), values, color=colors, label=labels.revenue)
        points = [(i, float(v)) for i, v in enumerate(report.rolling_mean) if v is not None]
        if points:
            xs, ys = zip(*points, strict=True)
            axes.plot(xs, ys, color=MEAN, marker="o", linewidth=2, label=labels.mean)
        axes.set_xticks(range(len(ticks)), ticks, rotation=45, fontsize=8)
        axes.set_title(labels.title)
        axes.yaxis.set_major_formatter(_compact)
        axes.grid(axis="y", alpha=0.3)
        axes.legend(loc="upper left", fontsize=8)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
