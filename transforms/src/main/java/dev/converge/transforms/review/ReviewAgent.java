package dev.converge.transforms.review;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * An agent that reviews chunks of files and verifies findings. It only answers: what it prints is
 * parsed and checked by the transforms ({@link ReviewReplies}), never trusted as it is.
 */
public interface ReviewAgent extends Serializable {

  /** The id the spec gave this agent. */
  String id();

  /** How the agent works, for example {@code command}; shown in every report. */
  String kind();

  /**
   * Reviews {@code chunk} against its rules.
   *
   * @param sample the sample index; agents that can vary their answers should use it as a seed
   * @param goal the job's goal (may be empty)
   * @param dir a private, empty folder the agent may use; removed after the call
   * @return what the agent printed: a JSON array of findings is expected
   */
  Reply review(Chunk chunk, int sample, String goal, Path dir) throws IOException;

  /**
   * Tries to refute {@code finding}, a finding of {@code rule} that reached the quorum.
   *
   * @return what the agent printed: a JSON verdict is expected
   */
  Reply verify(FindingCluster finding, Rule rule, String goal, Path dir) throws IOException;

  /**
   * What one call printed.
   *
   * @param exitCode the exit code (0 when the call worked)
   * @param timedOut whether the call was stopped because it took too long
   * @param answer what it printed as its answer (a command's standard output)
   * @param log diagnostics (a command's standard error), kept for audit
   * @param durationMs how long it took
   */
  record Reply(int exitCode, boolean timedOut, String answer, String log, long durationMs)
      implements Serializable {
    public Reply {
      answer = answer == null ? "" : answer;
      log = log == null ? "" : log;
    }

    /** A call that answered, for fakes and tests. */
    public static Reply answered(String answer) {
      return new Reply(0, false, answer, "", 0);
    }
  }
}
