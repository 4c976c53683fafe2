package dev.converge.transforms.report.board;

import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.report.Summary;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the board page shows: one card per task, and the job's summary once it has ended.
 *
 * @param spec the spec's name
 * @param runner the runner profile
 * @param cards one card per task, sorted by task id
 * @param summary the job's summary; empty while the job runs
 * @param elapsedSeconds the job's wall time so far (its total wall time once it ended)
 * @param refreshSeconds how often a browser should reload the page while the job runs; 0 when done
 */
public record Board(
    String spec,
    String runner,
    List<BoardCard> cards,
    Optional<Summary> summary,
    double elapsedSeconds,
    int refreshSeconds) {

  public Board {
    Objects.requireNonNull(summary, "summary");
    cards = cards.stream().sorted(Comparator.comparing(c -> c.task().id())).toList();
    if (refreshSeconds < 0) {
      throw new IllegalArgumentException("refreshSeconds must not be negative: " + refreshSeconds);
    }
  }

  /** The board of a job that has ended. */
  public static Board ended(Summary summary, List<Outcome> outcomes) {
    return new Board(
        summary.spec(),
        summary.runner(),
        outcomes.stream().map(BoardCard::ended).toList(),
        Optional.of(summary),
        summary.wallSeconds(),
        0);
  }

  /** The board of a job that is still running; browsers reload it every {@code refreshSeconds}. */
  public static Board running(
      String spec, String runner, List<BoardCard> cards, double elapsedSeconds, int refreshSeconds) {
    return new Board(spec, runner, cards, Optional.empty(), elapsedSeconds, refreshSeconds);
  }

  public boolean ended() {
    return summary.isPresent();
  }

  public List<Outcome> outcomes() {
    return cards.stream().flatMap(c -> c.outcome().stream()).toList();
  }

  public long count(BoardColumn column) {
    return cards.stream().filter(c -> c.column() == column).count();
  }

  /** The targets (repositories) of the tasks, sorted. */
  public List<String> targets() {
    return cards.stream().map(BoardCard::target).distinct().sorted().toList();
  }
}
