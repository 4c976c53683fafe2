package dev.converge.transforms.report.board;

import dev.converge.transforms.report.board.RunStats.Interval;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * "Calls in flight over time" as inline SVG: for each series, a step line of how many of its
 * intervals were running at each moment, on a time axis that starts at the first recorded start.
 */
final class InFlightChart {
  static final int WIDTH = 420;
  private static final int HEIGHT = 190;
  private static final int LEFT = 34;
  private static final int RIGHT = 12;
  private static final int TOP = 24;
  private static final int BOTTOM = 28;

  /** One line of the chart: a name for the legend, a class for its colour, and its intervals. */
  record Series(String name, String cssClass, List<Interval> intervals) {}

  private record Step(long timeMs, int delta) {}

  private InFlightChart() {}

  /** The chart, or empty when no series has a recorded interval. */
  static Optional<String> render(String title, List<Series> series) {
    List<Interval> all = series.stream().flatMap(s -> s.intervals().stream()).toList();
    if (all.isEmpty()) {
      return Optional.empty();
    }
    long start = all.stream().mapToLong(Interval::startMs).min().orElseThrow();
    long end = Math.max(start + 1, all.stream().mapToLong(Interval::endMs).max().orElseThrow());
    int peak = series.stream().mapToInt(s -> peak(s.intervals())).max().orElse(1);
    double plotWidth = WIDTH - LEFT - RIGHT;
    double plotHeight = HEIGHT - TOP - BOTTOM;
    double xScale = plotWidth / (end - start);
    double yScale = plotHeight / Math.max(1, peak);
    double baseline = TOP + plotHeight;

    StringBuilder svg = new StringBuilder(Svg.open(WIDTH, HEIGHT, title));
    svg.append(Svg.line(LEFT, baseline, WIDTH - RIGHT, baseline, "axis"));
    svg.append(Svg.line(LEFT, TOP, LEFT, baseline, "axis"));
    svg.append(Svg.text(LEFT - 4, baseline + 4, "end", "tick", "0"));
    svg.append(Svg.text(LEFT - 4, TOP + 4, "end", "tick", Integer.toString(peak)));
    svg.append(Svg.text(LEFT, baseline + 18, "start", "tick", "0 s"));
    svg.append(Svg.text(WIDTH - RIGHT, baseline + 18, "end", "tick", Format.duration(end - start)));
    double legendX = LEFT + 6;
    for (Series s : series) {
      svg.append(Svg.rect(legendX, 6, 10, 10, "swatch " + s.cssClass()));
      svg.append(Svg.text(legendX + 14, 15, "start", "legend", s.name() + " (peak " + peak(s.intervals()) + ")"));
      legendX += 170;
      if (s.intervals().isEmpty()) {
        continue;
      }
      StringBuilder d = new StringBuilder("M" + Svg.num(LEFT) + " " + Svg.num(baseline));
      int level = 0;
      for (Step step : steps(s.intervals())) {
        level += step.delta();
        d.append(" H").append(Svg.num(LEFT + (step.timeMs() - start) * xScale));
        d.append(" V").append(Svg.num(baseline - level * yScale));
      }
      svg.append(Svg.path(d.toString(), "series " + s.cssClass()));
    }
    return Optional.of(svg.append(Svg.close()).toString());
  }

  /** The most intervals running at the same time. */
  static int peak(List<Interval> intervals) {
    int level = 0;
    int peak = 0;
    for (Step step : steps(intervals)) {
      level += step.delta();
      peak = Math.max(peak, level);
    }
    return peak;
  }

  /** Starts and ends in time order; at the same moment an end comes first, so hand-offs don't spike. */
  private static List<Step> steps(List<Interval> intervals) {
    List<Step> steps = new ArrayList<>();
    for (Interval interval : intervals) {
      steps.add(new Step(interval.startMs(), 1));
      steps.add(new Step(interval.endMs(), -1));
    }
    steps.sort(Comparator.comparingLong(Step::timeMs).thenComparingInt(Step::delta));
    return steps;
  }
}
