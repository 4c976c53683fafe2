package dev.converge.transforms.agent;

import dev.converge.transforms.model.Candidate;
import dev.converge.transforms.model.CandidateStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Answers from a {@link Cassette} instead of calling anyone: for each task and sample, what the
 * recorded agent ({@code replayOf}, by default an agent with the same id) answered then. A model's
 * reply goes through the same diff extraction and {@code git apply} as a live one; a command
 * agent's recorded change is replayed as its diff. A call that is not on the cassette, or was
 * recorded for other inputs (another base commit, other instructions), fails with that reason.
 * Replayed answers are free: not cached, not charged to the budget.
 */
public final class ReplayAgent implements ModelAgent {
  private final String id;
  private final String cassette;
  private final String replayOf;
  private final CallLimits limits;

  private ReplayAgent(String id, String cassette, String replayOf, CallLimits limits) {
    this.id = id;
    this.cassette = cassette;
    this.replayOf = replayOf;
    this.limits = limits;
  }

  public static ReplayAgent of(String id, Path cassette) {
    return new ReplayAgent(
        Objects.requireNonNull(id, "id"),
        cassette.toAbsolutePath().normalize().toString(),
        id,
        CallLimits.DEFAULT.withMaxAttempts(1));
  }

  /** Replays the calls recorded for agent {@code agentId} (default: this agent's own id). */
  public ReplayAgent replaying(String agentId) {
    return new ReplayAgent(id, cassette, Objects.requireNonNull(agentId, "agentId"), limits);
  }

  public ReplayAgent withLimits(CallLimits value) {
    return new ReplayAgent(id, cassette, replayOf, Objects.requireNonNull(value).withMaxAttempts(1));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String kind() {
    return "replay";
  }

  @Override
  public CallLimits limits() {
    return limits;
  }

  @Override
  public boolean cacheable() {
    return false;
  }

  @Override
  public Map<String, String> fingerprint() {
    Map<String, String> fingerprint = new TreeMap<>();
    fingerprint.put("cassette", cassette);
    fingerprint.put("replayOf", replayOf);
    return fingerprint;
  }

  @Override
  public ModelReply call(ModelCall call) throws AgentCallException {
    Path file = Path.of(cassette);
    if (!Files.isRegularFile(file)) {
      throw AgentCallException.permanent("replay: the cassette " + cassette + " does not exist");
    }
    Cassette.Entry entry;
    try {
      entry = Cassette.load(file).get(Cassette.lookupKey(replayOf, call.task().id(), call.sample()));
    } catch (IOException e) {
      throw AgentCallException.permanent("replay: cannot read the cassette " + cassette + ": " + e.getMessage());
    }
    String which = replayOf + " on " + call.task().id() + " sample " + call.sample();
    if (entry == null) {
      throw AgentCallException.permanent("replay: the cassette has no call of " + which);
    }
    if (!CacheKeys.inputs(call.task()).equals(entry.inputs())) {
      throw AgentCallException.permanent(
          "replay: the recorded call of " + which
              + " was made for other inputs (the task or its base commit changed)");
    }
    if (entry.reply() != null) {
      return entry.reply();
    }
    Candidate recorded = entry.candidate();
    if (recorded == null || recorded.status() == CandidateStatus.AGENT_FAILED) {
      throw AgentCallException.permanent(
          recorded == null ? "replay: the recorded call of " + which + " is empty" : recorded.reason());
    }
    String patch = recorded.status() == CandidateStatus.PRODUCED ? recorded.patch() : "";
    String fence = PromptBuilder.fenceFor(patch);
    String text =
        fence + "diff\n" + patch + (patch.isEmpty() || patch.endsWith("\n") ? "" : "\n") + fence + "\n";
    return new ModelReply(text, recorded.model(), recorded.inputTokens(), recorded.outputTokens(), "stop");
  }

  @Override
  public String toString() {
    return "ReplayAgent[" + id + " from " + cassette + "]";
  }
}
