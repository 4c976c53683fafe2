package dev.converge.pipelines.spec;

/**
 * One problem found in a spec.
 *
 * @param path where in the spec, like {@code agents[2].command}; empty when it is about the whole
 *     spec
 * @param message what is wrong, like {@code expected a list of strings}
 * @param line the 1-based line the problem is on, or 0 when unknown
 * @param column the 1-based column the problem is on, or 0 when unknown
 */
public record SpecError(String path, String message, int line, int column) {

  /**
   * Formats the error for people, like {@code agents[2].command: expected a list of strings (line
   * 14, col 5)}.
   */
  @Override
  public String toString() {
    String prefix = path.isEmpty() ? "" : path + ": ";
    String location = line > 0 ? " (line " + line + ", col " + column + ")" : "";
    return prefix + message + location;
  }
}
