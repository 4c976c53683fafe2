package dev.converge.transforms.agent;

import java.io.Serializable;

/**
 * What a model's tokens cost.
 *
 * @param inputPerMillion USD per million input (prompt) tokens
 * @param outputPerMillion USD per million output (answer) tokens
 */
public record Price(double inputPerMillion, double outputPerMillion) implements Serializable {
  public static final Price FREE = new Price(0, 0);

  public Price {
    if (inputPerMillion < 0 || outputPerMillion < 0) {
      throw new IllegalArgumentException("prices must not be negative");
    }
  }

  public double cost(long inputTokens, long outputTokens) {
    return (inputTokens * inputPerMillion + outputTokens * outputPerMillion) / 1_000_000.0;
  }
}
