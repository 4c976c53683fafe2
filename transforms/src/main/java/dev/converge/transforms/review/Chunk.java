package dev.converge.transforms.review;

import java.io.Serializable;
import java.util.List;

/**
 * One unit of review work: a range of lines of one file and a group of rules to check it against.
 *
 * @param target the file's target id
 * @param path the file's path in its target
 * @param fileHash the hash of the whole file
 * @param startLine first line of the chunk (1-based, inclusive)
 * @param endLine last line of the chunk (inclusive)
 * @param totalLines number of lines of the whole file
 * @param text the chunk's lines, joined with {@code \n} (with a final {@code \n})
 * @param rules the rules to check
 */
public record Chunk(
    String target,
    String path,
    String fileHash,
    int startLine,
    int endLine,
    int totalLines,
    String text,
    List<Rule> rules)
    implements Serializable {
  public Chunk {
    rules = List.copyOf(rules);
  }

  public String fileKey() {
    return SourceFile.key(target, path);
  }

  public List<String> ruleIds() {
    return rules.stream().map(Rule::id).toList();
  }

  /** Lines {@code from..to} (inclusive, clamped to the chunk), joined with {@code \n}. */
  public String lines(int from, int to) {
    String[] all = text.split("\n", -1);
    int first = Math.max(from, startLine) - startLine;
    int last = Math.min(to, endLine) - startLine;
    StringBuilder out = new StringBuilder();
    for (int i = first; i <= last && i < all.length; i++) {
      out.append(all[i]).append('\n');
    }
    return out.toString();
  }

  /** A short label such as {@code svc/app/db.py:1-200 [sql-injection, secrets]}. */
  public String label() {
    return fileKey() + ":" + startLine + "-" + endLine + " " + ruleIds();
  }
}
