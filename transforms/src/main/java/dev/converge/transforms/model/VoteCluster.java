package dev.converge.transforms.model;

import java.util.List;

/**
 * A group of candidates of one task that made the same (normalized) change.
 *
 * @param patchHash the shared normalized patch hash
 * @param members candidate labels ({@code agent#sample}) in the cluster, sorted
 * @param passed whether the cluster's patch passed the tests
 * @param winner whether this cluster won the vote
 */
public record VoteCluster(String patchHash, List<String> members, boolean passed, boolean winner) {
  public VoteCluster {
    members = List.copyOf(members);
  }
}
