package dev.converge.transforms.report.board;

import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.report.Summary;
import dev.converge.transforms.report.Summary.AgentUsage;
import dev.converge.transforms.report.board.BarChart.Bar;
import dev.converge.transforms.report.board.InFlightChart.Series;
import dev.converge.transforms.report.board.RunStats.Interval;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The board's charts, each an inline SVG in a figure with a caption that says what it shows. */
final class ChartsView {
  private ChartsView() {}

  static String render(Board board) {
    StringBuilder html = new StringBuilder("<section class=\"charts\" aria-label=\"Charts\">");
    html.append(tasksPerColumn(board));
    List<Outcome> outcomes = board.outcomes();
    if (!outcomes.isEmpty()) {
      html.append(callsPerAgent(outcomes));
      html.append(timePerStage(outcomes));
      html.append(callsInFlight(outcomes));
    }
    return html.append("</section>").toString();
  }

  private static String tasksPerColumn(Board board) {
    List<Bar> bars =
        Arrays.stream(BoardColumn.values())
            .map(c -> new Bar(c.title(), board.count(c), Long.toString(board.count(c)), "col-" + c.id()))
            .toList();
    String caption =
        board.ended()
            ? "Every task ends in exactly one of the four end states."
            : "Where the tasks stand now; end states are known when the job ends.";
    return figure("Tasks per state", BarChart.render("Tasks per state", bars), caption);
  }

  private static String callsPerAgent(List<Outcome> outcomes) {
    Map<String, String> kinds = RunStats.kindPerAgent(outcomes);
    Map<String, AgentUsage> usage = Summary.usagePerAgent(outcomes);
    List<Bar> bars = new ArrayList<>();
    List<Bar> costBars = new ArrayList<>();
    usage.forEach(
        (agent, used) -> {
          boolean simulated = CardView.SIMULATED_KIND.equals(kinds.get(agent));
          if (used.calls() > 0) {
            bars.add(
                new Bar(
                    simulated ? agent + " (simulated)" : agent,
                    used.calls(),
                    Long.toString(used.calls()),
                    simulated ? "agent-simulated" : "agent"));
          }
          if (used.costUsd() > 0) {
            costBars.add(new Bar(agent, used.costUsd(), Format.cost(used.costUsd()), "agent"));
          }
        });
    String calls =
        figure(
            "Agent calls per agent",
            BarChart.render("Agent calls per agent", bars),
            costBars.isEmpty()
                ? "Implement, repair and verifier calls; cache hits are not calls. No agent reported a cost, so there is no cost per agent."
                : "Implement, repair and verifier calls; cache hits are not calls.");
    if (costBars.isEmpty()) {
      return calls;
    }
    return calls
        + figure(
            "Cost per agent",
            BarChart.render("Cost per agent", costBars),
            "What each agent's calls in this run cost, by the spec's price table.");
  }

  private static String timePerStage(List<Outcome> outcomes) {
    List<Interval> agentCalls = RunStats.agentIntervals(outcomes);
    List<Interval> testRuns = RunStats.testIntervals(outcomes);
    List<Bar> bars = new ArrayList<>();
    bars.add(busyBar("Implement: agent time", RunStats.agentBusyMs(outcomes), "stage-implement"));
    RunStats.spanMs(agentCalls).ifPresent(ms -> bars.add(busyBar("Implement: span", ms, "stage-implement")));
    bars.add(busyBar("Test: test time", RunStats.testBusyMs(outcomes), "stage-test"));
    RunStats.spanMs(testRuns).ifPresent(ms -> bars.add(busyBar("Test: span", ms, "stage-test")));
    return figure(
        "Time per stage",
        BarChart.render("Time per stage", bars),
        "Agent and test time add up the durations of every call and test run (work that"
            + " parallelism divides); a span runs from a stage's first start to its last end."
            + " Vote and merge are not timed.");
  }

  private static Bar busyBar(String label, long millis, String cssClass) {
    return new Bar(label, millis, Format.duration(millis), cssClass);
  }

  private static String callsInFlight(List<Outcome> outcomes) {
    Optional<String> chart =
        InFlightChart.render(
            "Calls in flight over time",
            List.of(
                new Series("agent calls", "agents", RunStats.agentIntervals(outcomes)),
                new Series("test runs", "tests", RunStats.testIntervals(outcomes))));
    return chart
        .map(
            svg ->
                figure(
                    "Calls in flight over time",
                    svg,
                    "How many agent calls and test runs were running at each moment, from their"
                        + " recorded start times and durations."))
        .orElseGet(
            () ->
                figure(
                    "Calls in flight over time",
                    "",
                    "This results.jsonl records no start times for calls (it was written before"
                        + " Converge recorded them), so calls in flight cannot be drawn."));
  }

  private static String figure(String title, String svg, String caption) {
    return "<figure><h2>" + Html.escape(title) + "</h2>" + svg + "<figcaption>" + Html.escape(caption)
        + "</figcaption></figure>";
  }
}
