package dev.converge.transforms.review;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How serious a rule's findings are. Maps to a SARIF {@code level} and to GitHub's numeric {@code
 * security-severity} (critical above 9.0, high 7.0 to 8.9, medium 4.0 to 6.9, low below 4.0).
 */
public enum Severity {
  CRITICAL("error", "9.5"),
  HIGH("error", "8.0"),
  MEDIUM("warning", "5.5"),
  LOW("note", "3.0");

  private final String sarifLevel;
  private final String securitySeverity;

  Severity(String sarifLevel, String securitySeverity) {
    this.sarifLevel = sarifLevel;
    this.securitySeverity = securitySeverity;
  }

  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Severity of(String label) {
    return Arrays.stream(values())
        .filter(s -> s.label().equals(label))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown severity '" + label + "'; expected one of " + labels()));
  }

  public static List<String> labels() {
    return Arrays.stream(values()).map(Severity::label).toList();
  }

  /** The SARIF result level: {@code error}, {@code warning} or {@code note}. */
  public String sarifLevel() {
    return sarifLevel;
  }

  /** GitHub code scanning's {@code security-severity} score, as the string SARIF tools expect. */
  public String securitySeverity() {
    return securitySeverity;
  }

  /** Whether this severity is {@code threshold} or more serious. */
  public boolean atLeast(Severity threshold) {
    return ordinal() <= threshold.ordinal();
  }
}
