package dev.converge.transforms.review;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which files a review run reviews, decided on the driver from the files in scope now and the
 * previous run's {@link ReviewState}: new and changed files are reviewed, unchanged files carry
 * their findings forward, and the findings of files that are gone are fixed.
 *
 * @param toReview the files to review now
 * @param unchanged the files whose findings are carried forward
 * @param deleted the keys of files of the previous state that are no longer in scope
 * @param previous the previous state, if one was used
 * @param why a short explanation for reports, such as "3 new or changed, 10 unchanged"
 */
public record IncrementalPlan(
    List<SourceFile> toReview,
    List<SourceFile> unchanged,
    List<String> deleted,
    Optional<ReviewState> previous,
    String why) {

  public IncrementalPlan {
    toReview = List.copyOf(toReview);
    unchanged = List.copyOf(unchanged);
    deleted = List.copyOf(deleted);
  }

  /**
   * Plans a run.
   *
   * @param current the files in scope now
   * @param previous the previous run's state, if any
   * @param config the current configuration hash
   * @param full review every file whatever the state says (the previous findings are still used
   *     to tell new findings and fixed ones)
   */
  public static IncrementalPlan of(
      List<SourceFile> current, Optional<ReviewState> previous, String config, boolean full) {
    Set<String> keys = new HashSet<>();
    current.forEach(f -> keys.add(f.key()));
    List<String> deleted =
        previous.map(s -> s.files().keySet().stream().filter(k -> !keys.contains(k)).sorted().toList())
            .orElse(List.of());
    if (previous.isEmpty()) {
      return new IncrementalPlan(current, List.of(), deleted, previous, "no previous state: every file is reviewed");
    }
    if (full) {
      return new IncrementalPlan(current, List.of(), deleted, previous, "a full review was asked for");
    }
    if (!previous.get().config().equals(config)) {
      return new IncrementalPlan(
          current, List.of(), deleted, previous, "the rules, reviewers or settings changed: every file is reviewed");
    }
    List<SourceFile> toReview = new ArrayList<>();
    List<SourceFile> unchanged = new ArrayList<>();
    for (SourceFile file : current) {
      ReviewState.FileState before = previous.get().files().get(file.key());
      if (before != null && before.complete() && before.hash().equals(file.hash())) {
        unchanged.add(file);
      } else {
        toReview.add(file);
      }
    }
    String why =
        toReview.size() + " new or changed, " + unchanged.size() + " unchanged, " + deleted.size() + " deleted";
    return new IncrementalPlan(toReview, unchanged, deleted, previous, why);
  }

  /** Whether this run can tell new findings from known ones. */
  public boolean hasPrevious() {
    return previous.isPresent();
  }
}
