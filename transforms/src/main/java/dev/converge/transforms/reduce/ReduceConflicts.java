package dev.converge.transforms.reduce;

import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.workspace.Worktrees;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Combines the accepted changes of all tasks of one repository: in task-id order, each accepted
 * patch is applied on top of the ones before it in one worktree. A patch that no longer applies
 * turns its task into {@code conflict}, naming the tasks it collides with. The order is stable, so
 * two runs give the same result.
 */
public final class ReduceConflicts extends PTransform<PCollection<Outcome>, PCollection<Outcome>> {
  private final String workDir;

  private ReduceConflicts(String workDir) {
    this.workDir = workDir;
  }

  public static ReduceConflicts inWorkDir(String workDir) {
    return new ReduceConflicts(Objects.requireNonNull(workDir, "workDir"));
  }

  @Override
  public PCollection<Outcome> expand(PCollection<Outcome> outcomes) {
    PCollection<Outcome> settled =
        outcomes.apply("NotMerged", Filter.by((Outcome o) -> o.state() != TaskState.MERGED));
    PCollection<Outcome> combined =
        outcomes
            .apply("Merged", Filter.by((Outcome o) -> o.state() == TaskState.MERGED))
            .apply(
                "KeyByTarget",
                WithKeys.of((Outcome o) -> o.task().target()).withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), JsonCoder.of(Outcome.class)))
            .apply("GroupByTarget", GroupByKey.create())
            .apply("CombineChanges", ParDo.of(new CombineChangesFn(workDir)))
            .setCoder(JsonCoder.of(Outcome.class));
    return PCollectionList.of(settled).and(combined).apply("AllOutcomes", Flatten.pCollections());
  }

  /** Applies one repository's accepted patches one after another in task-id order. */
  static final class CombineChangesFn extends DoFn<KV<String, Iterable<Outcome>>, Outcome> {
    private final String workDir;

    CombineChangesFn(String workDir) {
      this.workDir = workDir;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Outcome>> group, OutputReceiver<Outcome> out) {
      List<Outcome> accepted = new ArrayList<>();
      group.getValue().forEach(accepted::add);
      accepted.sort(Comparator.comparing(o -> o.task().id()));
      Outcome first = accepted.get(0);
      Path worktree = null;
      int settledCount = 0;
      try {
        worktree =
            Worktrees.checkout(
                first.task().repoPath(),
                first.task().baseCommit(),
                Path.of(workDir),
                group.getKey() + "-combined");
        List<String> appliedTasks = new ArrayList<>();
        for (Outcome outcome : accepted) {
          String error = Worktrees.apply(worktree, outcome.patch());
          if (error.isEmpty()) {
            appliedTasks.add(outcome.task().id());
            out.output(outcome);
          } else {
            out.output(
                outcome.withState(
                    TaskState.CONFLICT,
                    "does not combine with the changes of "
                        + String.join(", ", appliedTasks)
                        + ": "
                        + error));
          }
          settledCount++;
        }
      } catch (Exception e) {
        for (Outcome outcome : accepted.subList(settledCount, accepted.size())) {
          out.output(
              outcome.withState(
                  TaskState.FAILED,
                  "could not combine the changes of " + group.getKey() + ": " + e.getMessage()));
        }
      } finally {
        Worktrees.delete(worktree);
      }
    }
  }
}
