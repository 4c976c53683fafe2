package dev.converge.transforms.model;

/** How long texts from agents, tests and tools are cut down for reasons, logs and feedback. */
public final class Texts {
  private Texts() {}

  /** The last {@code chars} characters of {@code text}, after "..." when anything was cut. */
  public static String tail(String text, int chars) {
    return text.length() > chars ? "..." + text.substring(text.length() - chars) : text;
  }

  /** {@code text} up to its first line break; "" for null. */
  public static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
