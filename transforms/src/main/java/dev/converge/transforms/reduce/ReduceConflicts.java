package dev.converge.transforms.reduce;

import dev.converge.transforms.agent.Agent;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.TaskState;
import dev.converge.transforms.workspace.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The Reduce step across tasks: groups the accepted changes by repository and combines them with
 * {@link RepoCombiner} — a real 3-way merge per file in task-id order, an optional resolver agent
 * for true conflicts, a re-test of the combination with bisection back to the guilty task, and
 * optionally a branch in the user's repository.
 *
 * <p>Outputs ({@link PCollectionTuple}): {@link #OUTCOMES}, the final outcome of every task (the
 * ones that were not accepted pass through unchanged), and {@link #SERIES}, one {@link
 * MergedSeries} per repository with at least one merged task. The order is stable, so two runs
 * give the same result.
 */
public final class ReduceConflicts extends PTransform<PCollection<Outcome>, PCollectionTuple> {
  /** Every task's final outcome. */
  public static final TupleTag<Outcome> OUTCOMES = new TupleTag<>() {};

  /** One combined series of commits per repository that has merged tasks. */
  public static final TupleTag<MergedSeries> SERIES = new TupleTag<>() {};

  private final String workDir;
  private final Map<String, TargetCheck> targetChecks;
  private final Agent resolver;
  private final String branch;
  private final Set<String> branchTargets;
  private final Sandbox sandbox;

  private ReduceConflicts(
      String workDir,
      Map<String, TargetCheck> targetChecks,
      Agent resolver,
      String branch,
      Set<String> branchTargets,
      Sandbox sandbox) {
    this.workDir = workDir;
    this.targetChecks = targetChecks;
    this.resolver = resolver;
    this.branch = branch;
    this.branchTargets = branchTargets;
    this.sandbox = sandbox;
  }

  public static ReduceConflicts inWorkDir(String workDir) {
    return new ReduceConflicts(
        Objects.requireNonNull(workDir, "workDir"), Map.of(), null, null, Set.of(), Sandbox.AUTO);
  }

  /**
   * The command that checks the combined change of {@code target} (its test command). Without
   * one, a combination is checked with the test commands of its tasks only.
   */
  public ReduceConflicts withTargetCheck(String target, TargetCheck check) {
    Map<String, TargetCheck> checks = new HashMap<>(targetChecks);
    checks.put(Objects.requireNonNull(target, "target"), Objects.requireNonNull(check, "check"));
    return new ReduceConflicts(workDir, Map.copyOf(checks), resolver, branch, branchTargets, sandbox);
  }

  /** The agent asked to resolve true conflicts; its resolution goes through the tests again. */
  public ReduceConflicts withResolver(Agent newResolver) {
    return new ReduceConflicts(
        workDir, targetChecks, Objects.requireNonNull(newResolver, "resolver"), branch, branchTargets, sandbox);
  }

  /**
   * Creates branch {@code name} with one commit per merged task in the repositories of {@code
   * targets}, without touching their working trees, indexes or current branches.
   */
  public ReduceConflicts withBranch(String name, Set<String> targets) {
    return new ReduceConflicts(
        workDir,
        targetChecks,
        resolver,
        Objects.requireNonNull(name, "name"),
        Set.copyOf(new HashSet<>(targets)),
        sandbox);
  }

  /** How the checks of combined changes are confined (default {@link Sandbox#AUTO}, as the test gate's). */
  public ReduceConflicts withSandbox(Sandbox policy) {
    return new ReduceConflicts(
        workDir, targetChecks, resolver, branch, branchTargets, Objects.requireNonNull(policy, "sandbox"));
  }

  @Override
  public PCollectionTuple expand(PCollection<Outcome> outcomes) {
    PCollection<Outcome> settled =
        outcomes.apply("NotMerged", Filter.by((Outcome o) -> o.state() != TaskState.MERGED));
    PCollectionTuple combined =
        outcomes
            .apply("Merged", Filter.by((Outcome o) -> o.state() == TaskState.MERGED))
            .apply(
                "KeyByTarget",
                WithKeys.of((Outcome o) -> o.task().target()).withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), JsonCoder.of(Outcome.class)))
            .apply("GroupByTarget", GroupByKey.create())
            .apply(
                "CombineChanges",
                ParDo.of(new CombineChangesFn(workDir, targetChecks, resolver, branch, branchTargets, sandbox))
                    .withOutputTags(OUTCOMES, TupleTagList.of(SERIES)));
    PCollection<Outcome> combinedOutcomes =
        combined.get(OUTCOMES).setCoder(JsonCoder.of(Outcome.class));
    PCollection<MergedSeries> series =
        combined.get(SERIES).setCoder(JsonCoder.of(MergedSeries.class));
    PCollection<Outcome> all =
        PCollectionList.of(settled).and(combinedOutcomes).apply("AllOutcomes", Flatten.pCollections());
    return PCollectionTuple.of(OUTCOMES, all).and(SERIES, series);
  }

  /** Combines one repository's accepted changes. */
  static final class CombineChangesFn extends DoFn<KV<String, Iterable<Outcome>>, Outcome> {
    private final String workDir;
    private final Map<String, TargetCheck> targetChecks;
    private final Agent resolver;
    private final String branch;
    private final Set<String> branchTargets;
    private final Sandbox sandbox;

    CombineChangesFn(
        String workDir,
        Map<String, TargetCheck> targetChecks,
        Agent resolver,
        String branch,
        Set<String> branchTargets,
        Sandbox sandbox) {
      this.workDir = workDir;
      this.targetChecks = targetChecks;
      this.resolver = resolver;
      this.branch = branch;
      this.branchTargets = branchTargets;
      this.sandbox = sandbox;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Outcome>> group, MultiOutputReceiver out) {
      String target = group.getKey();
      List<Outcome> accepted = new ArrayList<>();
      group.getValue().forEach(accepted::add);
      RepoCombiner combiner =
          new RepoCombiner(
              Path.of(workDir),
              targetChecks.get(target),
              resolver,
              branch != null && branchTargets.contains(target) ? branch : null,
              sandbox);
      RepoCombiner.Result result = combiner.combine(target, accepted);
      result.outcomes().forEach(out.get(OUTCOMES)::output);
      result.series().ifPresent(out.get(SERIES)::output);
    }
  }
}
