package dev.converge.transforms.vote;

import dev.converge.transforms.model.Candidate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Candidates of one task that made the same normalized change, and therefore share one test
 * result.
 *
 * @param patchHash the shared normalized patch hash
 * @param members the candidates, sorted by label
 */
public record Cluster(String patchHash, List<Candidate> members) {

  /**
   * The deterministic order of voting: larger clusters first; among equal sizes, the cluster whose
   * first member label ({@code agent#sample}) sorts first. This is how ties are broken.
   */
  public static final Comparator<Cluster> VOTE_ORDER =
      Comparator.comparingInt((Cluster c) -> -c.members().size()).thenComparing(Cluster::firstLabel);

  public Cluster {
    members = List.copyOf(members);
  }

  /** Groups the candidates that have a patch by patch hash, in {@link #VOTE_ORDER}. */
  public static List<Cluster> of(List<Candidate> candidates) {
    Map<String, List<Candidate>> byHash = new LinkedHashMap<>();
    candidates.stream()
        .filter(c -> !c.patchHash().isEmpty())
        .sorted(Comparator.comparing(Candidate::label))
        .forEach(c -> byHash.computeIfAbsent(c.patchHash(), h -> new ArrayList<>()).add(c));
    List<Cluster> clusters = new ArrayList<>();
    byHash.forEach((hash, members) -> clusters.add(new Cluster(hash, members)));
    clusters.sort(VOTE_ORDER);
    return clusters;
  }

  public boolean passed() {
    return members.get(0).test() != null && members.get(0).test().passed();
  }

  public String firstLabel() {
    return members.get(0).label();
  }

  public List<String> labels() {
    return members.stream().map(Candidate::label).toList();
  }
}
