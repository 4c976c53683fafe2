package dev.converge.pipelines.spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A spec that cannot be used, with every problem found in it. The message names the source on its
 * first line and then lists one {@link SpecError} per line.
 */
public final class SpecException extends Exception {
  private final String sourceName;
  private final List<SpecError> errors;

  public SpecException(String sourceName, List<SpecError> errors) {
    super(format(sourceName, errors));
    this.sourceName = sourceName;
    this.errors = List.copyOf(errors);
  }

  /** The file name, or whatever name the caller gave the YAML text. */
  public String sourceName() {
    return sourceName;
  }

  /** The problems, in the order they appear in the source. */
  public List<SpecError> errors() {
    return errors;
  }

  private static String format(String sourceName, List<SpecError> errors) {
    return errors.stream()
        .map(SpecError::toString)
        .collect(Collectors.joining("\n", "Invalid spec " + sourceName + ":\n", ""));
  }
}
