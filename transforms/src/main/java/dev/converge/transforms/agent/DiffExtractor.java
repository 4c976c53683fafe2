package dev.converge.transforms.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes the unified diff out of a model's answer (see {@link PromptBuilder} for the contract).
 *
 * <p>In order: the fenced blocks marked {@code diff} or {@code patch} (all of them, joined); else
 * unmarked fenced blocks that start like a diff; else the answer from its first {@code diff --git}
 * or {@code --- } line on, when the model forgot the fence. An empty marked block is an explicit
 * "no change". Anything else is not a diff.
 */
public final class DiffExtractor {
  private static final Pattern FENCE =
      Pattern.compile("(?m)^[ \\t]{0,3}(`{3,}|~{3,})[ \\t]*([A-Za-z0-9_+-]*)[^\\n]*\\n");

  private DiffExtractor() {}

  /** The diff in {@code answer} (possibly blank: no change), or empty when there is none. */
  public static Optional<String> extract(String answer) {
    String text = answer.replace("\r\n", "\n");
    List<String> marked = new ArrayList<>();
    List<String> unmarked = new ArrayList<>();
    Matcher open = FENCE.matcher(text);
    int from = 0;
    while (from < text.length() && open.find(from)) {
      String fence = open.group(1);
      String info = open.group(2).toLowerCase(java.util.Locale.ROOT);
      int bodyStart = open.end();
      Pattern closing =
          Pattern.compile("(?m)^[ \\t]{0,3}" + Pattern.quote(fence.substring(0, 1)) + "{" + fence.length() + ",}[ \\t]*$");
      Matcher close = closing.matcher(text);
      int bodyEnd;
      int next;
      if (close.find(bodyStart)) {
        bodyEnd = close.start();
        next = close.end();
      } else {
        bodyEnd = text.length();
        next = text.length();
      }
      String body = text.substring(bodyStart, bodyEnd);
      if (info.equals("diff") || info.equals("patch") || info.equals("udiff")) {
        marked.add(body);
      } else if (looksLikeDiff(body)) {
        unmarked.add(body);
      }
      from = next;
    }
    if (!marked.isEmpty()) {
      return Optional.of(join(marked));
    }
    if (!unmarked.isEmpty()) {
      return Optional.of(join(unmarked));
    }
    int start = firstDiffLine(text);
    return start < 0 ? Optional.empty() : Optional.of(ensureNewline(text.substring(start)));
  }

  private static boolean looksLikeDiff(String body) {
    return firstDiffLine(body) >= 0;
  }

  private static int firstDiffLine(String text) {
    Matcher gitHeader = Pattern.compile("(?m)^diff --git ").matcher(text);
    if (gitHeader.find()) {
      return gitHeader.start();
    }
    Matcher plain = Pattern.compile("(?m)^--- \\S.*\\n\\+\\+\\+ \\S").matcher(text);
    return plain.find() ? plain.start() : -1;
  }

  private static String join(List<String> blocks) {
    StringBuilder all = new StringBuilder();
    for (String block : blocks) {
      if (!block.isBlank()) {
        all.append(ensureNewline(block));
      }
    }
    return all.toString();
  }

  private static String ensureNewline(String text) {
    return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
  }
}
