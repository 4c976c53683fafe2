package dev.converge.transforms.sampling;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.vote.Cluster;
import java.io.Serializable;
import java.util.List;

/**
 * When adaptive sampling has seen enough of a task: at least {@code agree} candidates made the same
 * passing change, and that change leads the next passing change by at least {@code margin}. A
 * unanimous first wave of {@code agree} or more stops at once; a split keeps sampling up to the
 * maximum.
 *
 * <p>Why this rule: a wrong change that passes the tests (the only kind voting can let through)
 * must win a race against the right one; with executors right most of the time, requiring a few
 * agreeing votes and a lead of two makes that race very unlikely while most tasks stop after the
 * first wave. scripts/bench-quality measures it against fixed k.
 *
 * @param agree how many candidates must make the leading change (at least 1)
 * @param margin how far the leading change must be ahead of the next one (at least 1)
 */
public record StoppingRule(int agree, int margin) implements Serializable {
  public StoppingRule {
    if (agree < 1 || margin < 1) {
      throw new IllegalArgumentException("agree and margin must be at least 1, got " + agree + " and " + margin);
    }
  }

  /** Whether the candidates of one task so far decide it. */
  public boolean decided(List<Candidate> candidates) {
    List<Cluster> passing = Cluster.of(candidates).stream().filter(Cluster::passed).toList();
    if (passing.isEmpty()) {
      return false;
    }
    int leader = passing.get(0).members().size();
    int next = passing.size() > 1 ? passing.get(1).members().size() : 0;
    return leader >= agree && leader - next >= margin;
  }
}
