package dev.converge.transforms.model;

/**
 * A rule of the spec that a candidate breaks. A candidate with a violation is rejected before it is
 * tested: it never reaches the test gate, the vote or a verifier.
 *
 * @param rule the spec field that states the rule, like {@code constraints.forbiddenPatterns[0]} or
 *     {@code drift.maxFilesOutsideScope}
 * @param location where: {@code path:line} for a line, {@code path} for a file, {@code patch} for
 *     the change as a whole
 * @param message what is wrong, in words
 */
public record Violation(String rule, String location, String message) {
  public Violation {
    rule = rule == null ? "" : rule;
    location = location == null ? "" : location;
    message = message == null ? "" : message;
  }

  /** {@code rule at location: message}, for reasons and console lines. */
  public String describe() {
    return rule + " at " + location + ": " + message;
  }
}
