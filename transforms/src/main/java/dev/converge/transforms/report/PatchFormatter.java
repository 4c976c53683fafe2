package dev.converge.transforms.report;

import dev.converge.transforms.model.Outcome;
import dev.converge.transforms.model.VoteCluster;
import java.util.stream.Collectors;

/**
 * Formats an accepted change as a {@code git format-patch} style mail, which {@code git am} turns
 * into a commit and {@code git apply} applies as a plain diff.
 *
 * <p>The author date is fixed (the Unix epoch) on purpose: the same outcome always gives byte-for-
 * byte the same patch file, so re-runs and resumed runs can be compared with {@code cmp}.
 */
public final class PatchFormatter {
  static final String AUTHOR = "Converge <converge@localhost>";
  static final String DATE = "Thu, 1 Jan 1970 00:00:00 +0000";

  private PatchFormatter() {}

  /**
   * git ends a mailed commit message at a line {@code ---}, {@code diff -...} or {@code Index: };
   * such lines in the instructions are indented by one space so the message and trailers survive.
   */
  static String asCommitMessageBody(String text) {
    return text.lines()
        .map(
            line ->
                line.startsWith("---") || line.startsWith("diff -") || line.startsWith("Index: ")
                    ? " " + line
                    : line)
        .collect(Collectors.joining("\n"));
  }

  public static String format(Outcome outcome) {
    String instructions = outcome.task().instructions().strip();
    String subject = instructions.lines().findFirst().orElse("").strip();
    String winners =
        outcome.votes().stream()
            .filter(VoteCluster::winner)
            .flatMap(v -> v.members().stream())
            .collect(Collectors.joining(", "));
    StringBuilder mail = new StringBuilder();
    mail.append("From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n");
    mail.append("From: ").append(AUTHOR).append('\n');
    mail.append("Date: ").append(DATE).append('\n');
    mail.append("Subject: [PATCH] ").append(outcome.task().id()).append(": ").append(subject).append("\n\n");
    mail.append(asCommitMessageBody(instructions)).append("\n\n");
    mail.append("Converge-Task: ").append(outcome.task().id()).append('\n');
    mail.append("Converge-Agreed: ").append(winners).append('\n');
    mail.append("---\n");
    mail.append(outcome.patch());
    if (!outcome.patch().endsWith("\n")) {
      mail.append('\n');
    }
    mail.append("-- \nconverge\n\n");
    return mail.toString();
  }
}
