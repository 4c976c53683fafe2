package dev.converge.pipelines.change;

import dev.converge.transforms.constraints.CheckConstraints;
import dev.converge.transforms.constraints.Constraints;
import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.Task;
import dev.converge.transforms.workspace.Sandbox;
import dev.converge.transforms.workspace.TestCandidates;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * What every candidate goes through, first and repaired alike: the spec's constraints and drift
 * rules, then the test gate.
 */
final class CheckCandidates
    extends PTransform<PCollection<KV<Task, Candidate>>, PCollection<KV<Task, Candidate>>> {
  private final Constraints constraints;
  private final String workDir;
  private final Sandbox sandbox;

  CheckCandidates(Constraints constraints, String workDir, Sandbox sandbox) {
    this.constraints = constraints;
    this.workDir = workDir;
    this.sandbox = sandbox;
  }

  @Override
  public PCollection<KV<Task, Candidate>> expand(PCollection<KV<Task, Candidate>> candidates) {
    return candidates
        .apply("CheckConstraints", CheckConstraints.with(constraints))
        .apply("Test", TestCandidates.inWorkDir(workDir).withSandbox(sandbox));
  }
}
