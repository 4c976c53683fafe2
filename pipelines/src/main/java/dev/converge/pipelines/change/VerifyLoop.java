package dev.converge.pipelines.change;

import dev.converge.pipelines.spec.AgentSpec;
import dev.converge.pipelines.spec.Spec;
import dev.converge.pipelines.spec.VerifySpec;
import dev.converge.pipelines.specdriven.SpecDriven;
import dev.converge.transforms.agent.Agent;
import dev.converge.transforms.agent.ImplementTasks;
import dev.converge.transforms.agent.Verifier;
import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.verify.RepairOutcomes;
import dev.converge.transforms.verify.VerifyOutcomes;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.PCollection;

/**
 * The verify section of a change job compiled to its agents: the verifier, the repair agent and
 * the final verifier, and how many repair rounds.
 */
final class VerifyLoop implements Serializable {
  /** Repair rounds when {@code verify.repair} is set without {@code rounds}. */
  static final int DEFAULT_ROUNDS = 1;

  /** Verifier acceptances a repaired patch needs when {@code confirmRepairs} is not set. */
  static final int DEFAULT_CONFIRM_REPAIRS = 2;

  private final Agent verifier;
  private final Agent repairer;
  private final int rounds;
  private final Agent finalVerifier;
  private final int confirmRepairs;
  private final int repairSamples;

  private VerifyLoop(
      Agent verifier, Agent repairer, int rounds, Agent finalVerifier, int confirmRepairs, int repairSamples) {
    this.verifier = verifier;
    this.repairer = repairer;
    this.rounds = rounds;
    this.finalVerifier = finalVerifier;
    this.confirmRepairs = confirmRepairs;
    this.repairSamples = repairSamples;
  }

  /** The loop of {@code spec}, or null when it has no {@code verify} section. */
  static VerifyLoop of(Spec spec, Path specDir, SpecDriven specDriven) {
    VerifySpec verify = spec.verify();
    if (verify == null) {
      return null;
    }
    return new VerifyLoop(
        agent(spec, verify.agent(), specDir, specDriven),
        verify.repair() == null ? null : agent(spec, verify.repair(), specDir, specDriven),
        verify.repair() == null ? 0 : Objects.requireNonNullElse(verify.rounds(), DEFAULT_ROUNDS),
        verify.finalAgent() == null ? null : agent(spec, verify.finalAgent(), specDir, specDriven),
        Objects.requireNonNullElse(verify.confirmRepairs(), DEFAULT_CONFIRM_REPAIRS),
        Objects.requireNonNullElse(verify.repairSamples(), 1));
  }

  /** The ids of the verify section's agents, which implement no tasks unless named there. */
  static List<String> agentIds(Spec spec) {
    VerifySpec verify = spec.verify();
    return verify == null
        ? List.of()
        : Stream.of(verify.agent(), verify.repair(), verify.finalAgent()).filter(Objects::nonNull).toList();
  }

  private static Agent agent(Spec spec, String id, Path specDir, SpecDriven specDriven) {
    AgentSpec agent =
        spec.agents().stream()
            .filter(a -> a.id().equals(id))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("verify: unknown agent '" + id + "'"));
    return specDriven.withContext(AgentFactory.create(agent, specDir));
  }

  /**
   * Verify (the vote winner needs {@code winnerConfirmations} acceptances), then {@code rounds}
   * times Repair and Verify, then FinalVerify.
   */
  PCollection<Outcome> expand(
      PCollection<Outcome> voted,
      boolean bestOf,
      int winnerConfirmations,
      CheckCandidates check,
      AgentCallPlan agentCalls,
      PipelineOptions options,
      String outputDir,
      String workDir,
      String runId) {
    Verifier judge = verifierFor(verifier, agentCalls, options, outputDir, workDir, runId);
    PCollection<Outcome> outcomes =
        voted.apply("Verify", VerifyOutcomes.with(judge).withBestOf(bestOf).withConfirmations(winnerConfirmations));
    for (int round = 1; round <= rounds; round++) {
      ImplementTasks repair =
          agentCalls
              .configure(ImplementTasks.with(List.of(repairer)).withWorkDir(workDir), options, outputDir)
              .withRunId(runId);
      outcomes =
          outcomes
              .apply("Repair" + round, RepairOutcomes.with(repair, check, round).withSamples(repairSamples))
              .apply("Verify" + round, VerifyOutcomes.with(judge).atRound(round).withConfirmations(confirmRepairs));
    }
    if (finalVerifier != null) {
      Verifier last = verifierFor(finalVerifier, agentCalls, options, outputDir, workDir, runId);
      outcomes = outcomes.apply("FinalVerify", VerifyOutcomes.with(last).asFinal());
    }
    return outcomes;
  }

  /** {@code agent} as a verifier whose calls share the job's run: its slots, limits, budget and cache. */
  private static Verifier verifierFor(
      Agent agent, AgentCallPlan agentCalls, PipelineOptions options, String outputDir, String workDir, String runId) {
    ImplementTasks run =
        agentCalls.configure(ImplementTasks.with(List.of(agent)).withWorkDir(workDir), options, outputDir).withRunId(runId);
    return Verifier.of(agent).sharing(run);
  }
}
