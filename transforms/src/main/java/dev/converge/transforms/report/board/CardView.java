package dev.converge.transforms.report.board;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.Repair;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.model.TestResult;
import dev.converge.transforms.model.TestStatus;
import dev.converge.transforms.model.Verification;
import dev.converge.transforms.model.VoteCluster;
import dev.converge.transforms.report.board.RunStats.Interval;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The markup of one card: a task, its attempts with their tests, its votes and its patch. */
final class CardView {
  static final String SIMULATED_KIND = "simulated";

  /** Task ids the planner allows (with {@code target/} in multi-repo jobs); only these get a link. */
  private static final Pattern LINKABLE_ID =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*");

  private static final int HASH_CHARS = 10;

  private CardView() {}

  static String render(BoardCard card) {
    Task task = card.task();
    StringBuilder html = new StringBuilder();
    html.append("<article class=\"card col-").append(card.column().id())
        .append("\" data-task=\"").append(Html.escape(task.id()))
        .append("\" data-state=\"").append(card.column().id())
        .append("\" data-target=\"").append(Html.escape(card.target()))
        .append("\" data-search=\"").append(Html.escape(searchText(card))).append("\">");
    html.append("<header><h3>").append(Html.escape(task.id())).append("</h3>");
    html.append("<span class=\"badge\">").append(Html.escape(card.target())).append("</span>");
    if (card.outcome().map(CardView::usedSimulatedAgent).orElse(false)) {
      html.append("<span class=\"badge simulated\">simulated</span>");
    }
    html.append("</header>");
    html.append("<p class=\"instructions\">").append(Html.escape(task.instructions())).append("</p>");
    if (card.outcome().isEmpty()) {
      html.append("<p class=\"progress\">").append(Html.escape(card.progress())).append("</p>");
    }
    card.outcome().ifPresent(outcome -> appendOutcome(html, outcome));
    return html.append("</article>").toString();
  }

  /** A relative link to the task's patch file; only built from an id the planner could have made. */
  static Optional<String> patchHref(String taskId) {
    return taskId != null && LINKABLE_ID.matcher(taskId).matches()
        ? Optional.of("patches/" + taskId + ".patch")
        : Optional.empty();
  }

  static boolean usedSimulatedAgent(Outcome outcome) {
    return outcome.allCandidates().anyMatch(c -> SIMULATED_KIND.equals(c.agentKind()))
        || outcome.verifications().stream().anyMatch(v -> SIMULATED_KIND.equals(v.verifierKind()));
  }

  private static void appendOutcome(StringBuilder html, Outcome outcome) {
    html.append("<p class=\"reason\">").append(Html.escape(outcome.reason())).append("</p>");
    appendFacts(html, outcome);
    if (outcome.state() == TaskState.MERGED) {
      patchHref(outcome.task().id())
          .ifPresent(
              href ->
                  html.append("<a class=\"patch\" href=\"").append(Html.escape(href)).append("\">")
                      .append(Html.escape(href)).append("</a>"));
    }
    html.append("<ul class=\"attempts\">");
    outcome.candidates().forEach(c -> appendAttempt(html, c));
    html.append("</ul>");
    if (!outcome.votes().isEmpty()) {
      html.append("<ul class=\"votes\">");
      outcome.votes().forEach(v -> appendVote(html, v));
      html.append("</ul>");
    }
    if (!outcome.verifications().isEmpty() || !outcome.repairs().isEmpty()) {
      html.append("<ol class=\"verify\">");
      verifyEvents(outcome).forEach(event -> html.append(event));
      html.append("</ol>");
    }
  }

  /** The verifier's verdicts and the repair rounds, in the order of the rounds. */
  private static List<String> verifyEvents(Outcome outcome) {
    List<String> events = new java.util.ArrayList<>();
    int maxRound =
        Math.max(
            outcome.repairs().stream().mapToInt(Repair::round).max().orElse(0),
            outcome.verifications().stream().mapToInt(Verification::round).max().orElse(0));
    for (int round = 0; round <= maxRound; round++) {
      int r = round;
      outcome.repairs().stream().filter(p -> p.round() == r).forEach(p -> events.add(repairItem(p)));
      outcome.verifications().stream()
          .filter(v -> v.round() == r && v.stage().equals(Verification.VERIFY))
          .forEach(v -> events.add(verdictItem(v)));
    }
    outcome.verifications().stream()
        .filter(v -> v.stage().equals(Verification.FINAL))
        .forEach(v -> events.add(verdictItem(v)));
    return events;
  }

  private static String verdictItem(Verification v) {
    StringBuilder html = new StringBuilder("<li class=\"verdict\">");
    html.append(Html.escape(v.stage().equals(Verification.FINAL) ? "final verifier " : "verifier "))
        .append("<strong>").append(Html.escape(v.verifierId())).append("</strong> ")
        .append("<span class=\"").append(v.accepted() ? "ok\">accepted" : "bad\">" + (v.valid() ? "rejected" : "failed"))
        .append("</span>");
    String hash = v.patchHash();
    html.append(" · ").append(Html.escape(hash.substring(0, Math.min(HASH_CHARS, hash.length()))));
    if (v.valid()) {
      html.append(" · score ").append(Html.escape(String.format(Locale.ROOT, "%.2f", v.score())));
    }
    if (v.cached()) {
      html.append(" (cached)");
    }
    if (!v.reasons().isEmpty()) {
      html.append("<ul>");
      v.reasons().forEach(reason -> html.append("<li>").append(Html.escape(reason)).append("</li>"));
      html.append("</ul>");
    }
    if (!v.locations().isEmpty()) {
      html.append("<div>at <code>").append(Html.escape(String.join(", ", v.locations()))).append("</code></div>");
    }
    return html.append("</li>").toString();
  }

  private static String repairItem(Repair repair) {
    Candidate c = repair.candidate();
    return "<li class=\"repair\">repair round " + repair.round() + " by <strong>" + Html.escape(c.agentId())
        + "</strong> · <span class=\"" + (c.passedTests() ? "ok" : "bad") + "\">" + Html.escape(c.whatHappened())
        + "</span><details><summary>feedback</summary><pre>" + Html.escape(repair.feedback()) + "</pre></details></li>";
  }

  private static void appendFacts(StringBuilder html, Outcome outcome) {
    List<Outcome> one = List.of(outcome);
    long calls =
        outcome.allCandidates().filter(Candidate::calledAgent).count()
            + outcome.verifications().stream().filter(v -> !v.cached()).count();
    long tests = RunStats.testRuns(outcome).count();
    html.append("<dl class=\"facts\">");
    fact(html, "agents", Format.plural(calls, "call") + " · " + Format.duration(RunStats.agentBusyMs(one)));
    fact(html, "tests", Format.plural(tests, "run") + " · " + Format.duration(RunStats.testBusyMs(one)));
    List<Interval> all =
        Stream.concat(RunStats.agentIntervals(one).stream(), RunStats.testIntervals(one).stream()).toList();
    fact(html, "duration", RunStats.spanMs(all).map(Format::duration).orElse(Format.NOT_RECORDED));
    fact(html, "tokens", Format.tokens(outcome.tokens()));
    fact(html, "cost", Format.cost(outcome.costUsd()));
    html.append("</dl>");
  }

  private static void fact(StringBuilder html, String name, String value) {
    html.append("<dt>").append(Html.escape(name)).append("</dt><dd>").append(Html.escape(value)).append("</dd>");
  }

  private static void appendAttempt(StringBuilder html, Candidate c) {
    html.append("<li class=\"attempt\"><strong>").append(Html.escape(c.agentId())).append("</strong> #")
        .append(c.sample()).append(' ');
    boolean simulated = SIMULATED_KIND.equals(c.agentKind());
    html.append("<span class=\"badge").append(simulated ? " simulated" : "").append("\">")
        .append(Html.escape(c.agentKind())).append("</span> ");
    html.append(Html.escape(c.status().label())).append(" · agent ").append(Format.duration(c.durationMs()));
    if (c.cached()) {
      html.append(" (cached)");
    }
    if (!blank(c.model())) {
      html.append(" · ").append(Html.escape(c.model()));
    }
    if (c.tokens() > 0) {
      html.append(" · ").append(Format.tokens(c.tokens())).append(" tokens");
    }
    if (c.costUsd() > 0) {
      html.append(" · ").append(Format.cost(c.costUsd()));
    }
    TestResult test = c.test();
    boolean tested = test != null && test.status() != TestStatus.NOT_RUN;
    html.append("<br>");
    if (tested) {
      html.append("test <span class=\"").append(test.passed() ? "ok" : "bad").append("\">")
          .append(Html.escape(test.status().label())).append("</span> · exit ").append(test.exitCode())
          .append(" · ").append(Format.duration(test.durationMs()));
    } else {
      html.append("not tested");
    }
    if (!blank(c.reason())) {
      html.append("<div class=\"reason\">").append(Html.escape(c.reason())).append("</div>");
    }
    appendSpecChecks(html, c);
    boolean testOutput = tested && !blank(test.outputTail());
    if (testOutput || !blank(c.logTail())) {
      html.append("<details><summary>output</summary>");
      if (testOutput) {
        html.append("<h4>test output</h4><pre>").append(Html.escape(test.outputTail())).append("</pre>");
      }
      if (!blank(c.logTail())) {
        html.append("<h4>agent output</h4><pre>").append(Html.escape(c.logTail())).append("</pre>");
      }
      html.append("</details>");
    }
    html.append("</li>");
  }

  /** The spec rules the candidate breaks, and its drift when it strays from the task's files. */
  private static void appendSpecChecks(StringBuilder html, Candidate c) {
    if (c.violatesSpec()) {
      html.append("<div class=\"reason bad\">rejected before testing, violates the spec:</div><ul class=\"violations\">");
      c.violations()
          .forEach(
              v ->
                  html.append("<li><code>").append(Html.escape(v.rule())).append("</code> at <code>")
                      .append(Html.escape(v.location())).append("</code>: ").append(Html.escape(v.message()))
                      .append("</li>"));
      html.append("</ul>");
    }
    if (c.drift() != null && !c.drift().inScope()) {
      html.append("<div class=\"drift\">drift: ")
          .append(Html.escape(
              "outside the task's files " + c.drift().filesOutsideScope() + ", unplanned new files "
                  + c.drift().unplannedNewFiles() + ", size " + c.drift().sizeRatio() + "× the median"))
          .append("</div>");
    }
  }

  private static void appendVote(StringBuilder html, VoteCluster vote) {
    String hash = vote.patchHash() == null ? "" : vote.patchHash();
    html.append("<li>").append(vote.winner() ? "★ winner · " : "")
        .append("<span class=\"").append(vote.passed() ? "ok\">passed" : "bad\">not passed").append("</span> · ")
        .append(vote.members().size()).append(" × ")
        .append(Html.escape(hash.isEmpty() ? "no patch" : hash.substring(0, Math.min(HASH_CHARS, hash.length()))))
        .append(": ").append(Html.escape(String.join(", ", vote.members()))).append("</li>");
  }

  /** What the filter box matches: the card's words, lower-cased. */
  private static String searchText(BoardCard card) {
    Stream<String> own = Stream.of(card.task().id(), card.task().target(), card.column().id(), card.task().instructions());
    Stream<String> evidence =
        card.outcome().stream()
            .flatMap(o -> Stream.concat(Stream.of(o.reason()), o.allCandidates().map(Candidate::label)));
    return Stream.concat(own, evidence)
        .filter(s -> s != null && !s.isBlank())
        .map(s -> s.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(" "));
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
