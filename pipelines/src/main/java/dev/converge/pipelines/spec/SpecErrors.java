package dev.converge.pipelines.spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the errors of one spec so that a single run reports all of them. */
final class SpecErrors {
  private static final Comparator<SpecError> SOURCE_ORDER =
      Comparator.comparingInt(SpecError::line).thenComparingInt(SpecError::column);

  private final String sourceName;
  private final List<SpecError> errors = new ArrayList<>();

  SpecErrors(String sourceName) {
    this.sourceName = sourceName;
  }

  void add(String path, Location at, String message) {
    errors.add(new SpecError(path, message, at.line(), at.column()));
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  /** The errors so far, sorted by where they are in the source. */
  SpecException toException() {
    List<SpecError> sorted = new ArrayList<>(errors);
    sorted.sort(SOURCE_ORDER);
    return new SpecException(sourceName, sorted);
  }

  /** Adds an error after which the spec cannot be read any further, and returns the exception. */
  SpecException fatal(String path, Location at, String message) {
    add(path, at, message);
    return toException();
  }
}
