package dev.converge.transforms.report.board;

/**
 * The one HTML escaping helper of the board. Everything that is not markup the board writes itself
 * (task ids, instructions, agent output, test output, reasons, labels) goes through {@link
 * #escape}, in element text and in quoted attribute values alike.
 */
public final class Html {
  private Html() {}

  /** {@code text} with {@code & < > " '} replaced by entities; {@code null} becomes empty. */
  public static String escape(Object text) {
    if (text == null) {
      return "";
    }
    String raw = text.toString();
    StringBuilder out = new StringBuilder(raw.length() + 16);
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
