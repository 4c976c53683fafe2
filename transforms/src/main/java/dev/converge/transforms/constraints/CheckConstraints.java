package dev.converge.transforms.constraints;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import dev.converge.transforms.model.Drift;
import dev.converge.transforms.model.JsonCoder;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.model.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The spec's own checks, run by Converge on every candidate before it is tested: the {@link
 * Constraints} (paths, sizes, patterns, tests, file types) and the drift from the task's plan
 * (files outside the task's {@code files}, unplanned new files, size against the median of the
 * task's candidates). Every candidate that made a change leaves with its {@link Drift} and its
 * {@link Violation}s; one with a violation is not tested ({@link
 * dev.converge.transforms.workspace.TestCandidates} skips it), so it cannot pass and cannot win.
 *
 * <p>Static checks cost nothing next to a test run or a verifier, so they come first. The size
 * drift needs all candidates of a task, hence one {@code GroupByKey} by task; in batch mode it
 * waits for the same thing the test gate's grouping waits for anyway (every agent call).
 */
public final class CheckConstraints
    extends PTransform<PCollection<KV<Task, Candidate>>, PCollection<KV<Task, Candidate>>> {

  /** Counter of candidates rejected by a constraint or drift threshold. */
  public static final String REJECTED = "candidatesViolatingSpec";

  private final Constraints rules;

  private CheckConstraints(Constraints rules) {
    this.rules = rules;
  }

  public static CheckConstraints with(Constraints rules) {
    return new CheckConstraints(Objects.requireNonNull(rules, "rules"));
  }

  @Override
  public PCollection<KV<Task, Candidate>> expand(PCollection<KV<Task, Candidate>> candidates) {
    KvCoder<Task, Candidate> candidateCoder =
        KvCoder.of(JsonCoder.of(Task.class), JsonCoder.of(Candidate.class));
    return candidates
        .apply(
            "KeyByTask",
            WithKeys.of((KV<Task, Candidate> kv) -> kv.getKey().id())
                .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), candidateCoder))
        .apply("GroupByTask", GroupByKey.create())
        .apply("Check", ParDo.of(new CheckFn(rules)))
        .setCoder(candidateCoder);
  }

  /** Checks all candidates of one task. */
  static final class CheckFn extends DoFn<KV<String, Iterable<KV<Task, Candidate>>>, KV<Task, Candidate>> {
    private final Counter rejected = Metrics.counter(CheckConstraints.class, REJECTED);
    private final Constraints rules;

    CheckFn(Constraints rules) {
      this.rules = rules;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<KV<Task, Candidate>>> group,
        OutputReceiver<KV<Task, Candidate>> out) {
      List<KV<Task, Candidate>> elements = new ArrayList<>();
      group.getValue().forEach(elements::add);
      for (KV<Task, Candidate> checked : checkTask(rules, elements)) {
        if (checked.getValue().violatesSpec()) {
          rejected.inc();
        }
        out.output(checked);
      }
    }
  }

  /** Checks the candidates of one task (all of them, so the median size is known). */
  public static List<KV<Task, Candidate>> checkTask(Constraints rules, List<KV<Task, Candidate>> elements) {
    List<List<FileChange>> parsed = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    for (KV<Task, Candidate> element : elements) {
      Candidate c = element.getValue();
      List<FileChange> files =
          c.status() == CandidateStatus.PRODUCED ? PatchFiles.parse(c.patch()) : List.of();
      parsed.add(files);
      if (c.status() == CandidateStatus.PRODUCED) {
        sizes.add(files.stream().mapToInt(FileChange::changedLines).sum());
      }
    }
    double median = ConstraintChecker.median(sizes);
    List<KV<Task, Candidate>> result = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      Task task = elements.get(i).getKey();
      Candidate c = elements.get(i).getValue();
      if (c.status() != CandidateStatus.PRODUCED) {
        result.add(KV.of(task, c.withChecks(List.of(), null)));
        continue;
      }
      List<FileChange> files = parsed.get(i);
      Drift drift = ConstraintChecker.drift(task.files(), files, median);
      List<Violation> violations = new ArrayList<>(ConstraintChecker.check(rules, files));
      violations.addAll(ConstraintChecker.checkDrift(rules, task.files(), drift));
      result.add(KV.of(task, c.withChecks(violations, drift)));
    }
    return result;
  }
}
