package dev.converge.transforms.report.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.transforms.report.board.InFlightChart.Series;
import dev.converge.transforms.report.board.RunStats.Interval;
import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightChartTest {
  @Test
  void peakCountsOverlapsAndTreatsAHandOffAsNoOverlap() {
    assertEquals(
        2, InFlightChart.peak(List.of(new Interval(0, 10), new Interval(5, 15), new Interval(15, 20))));
    assertEquals(1, InFlightChart.peak(List.of(new Interval(0, 10), new Interval(10, 20))));
  }

  @Test
  void noRecordedIntervalMeansNoChart() {
    assertTrue(InFlightChart.render("t", List.of(new Series("a", "agents", List.of()))).isEmpty());
  }

  @Test
  void aChartHasOneStepLinePerSeriesWithIntervals() {
    String svg =
        InFlightChart.render(
                "t",
                List.of(
                    new Series("agent calls", "agents", List.of(new Interval(1000, 3000))),
                    new Series("test runs", "tests", List.of(new Interval(3000, 4000)))))
            .orElseThrow();
    assertTrue(svg.contains("class=\"series agents\""), svg);
    assertTrue(svg.contains("class=\"series tests\""), svg);
    assertTrue(svg.contains("3.0 s"), "the time axis ends at the last end: " + svg);
  }
}
